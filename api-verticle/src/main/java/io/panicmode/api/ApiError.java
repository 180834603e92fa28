package io.panicmode.api;

/** A request that ends with an HTTP error status and a JSON body {@code {"error": message}}. */
final class ApiError extends RuntimeException {
  final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
