package io.panicmode.config;

/** A person Twilio texts or calls. */
public record Contact(@Default("") String name, @Required String phone) {}
