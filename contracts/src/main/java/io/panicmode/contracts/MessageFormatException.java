package io.panicmode.contracts;

/** A message or document that does not match its schema. The message names the field at fault. */
public class MessageFormatException extends RuntimeException {
  public MessageFormatException(String message) { super(message); }
}
