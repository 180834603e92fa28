package io.panicmode.config;

/** {@code api_base_url} (an addition) lets tests point Twilio at a local server. */
public record TwilioConfig(
    @Default("true") boolean enabled,
    @Secret String accountSid,
    @Secret String authToken,
    String fromNumber,
    @Default("https://api.twilio.com") String apiBaseUrl) {}
