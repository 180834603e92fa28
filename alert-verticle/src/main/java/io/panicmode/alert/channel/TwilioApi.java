package io.panicmode.alert.channel;

import io.panicmode.config.Contact;
import io.panicmode.config.TwilioConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The part of Twilio's REST API both Twilio channels use: one form POST per contact to
 * {@code <base>/2010-04-01/Accounts/<sid>/<resource>} with basic auth. Contacts already in
 * {@link AlertMessage#reached()} are skipped, and each contact reached is added to it, so a retry
 * after a partial failure only reaches the people still missing.
 */
final class TwilioApi {
  private final ChannelDeps deps;
  private final String url;
  private final UsernamePasswordCredentials auth;
  private final String from;

  TwilioApi(ChannelDeps deps, TwilioConfig cfg, String resource) {
    this.deps = deps;
    this.url = TelegramChannel.stripSlash(cfg.apiBaseUrl()) + "/2010-04-01/Accounts/" + cfg.accountSid() + "/" + resource;
    this.auth = new UsernamePasswordCredentials(cfg.accountSid(), cfg.authToken());
    this.from = cfg.fromNumber();
  }

  /**
   * Sends to every contact not yet reached, one after the other (Twilio rate-limits per
   * account). Succeeds when all are reached; otherwise the last failure, retryable if any
   * failure was.
   */
  Future<SendResult> toAll(List<Contact> contacts, AlertMessage m, Duration timeout,
                           Function<Contact, MultiMap> form) {
    Future<SendResult> chain = Future.succeededFuture(SendResult.success());
    for (Contact c : contacts) {
      chain = chain.compose(prev -> {
        if (m.reached().contains(c.phone())) return Future.succeededFuture(prev);
        return one(form.apply(c), timeout).map(r -> {
          if (r.ok()) {
            m.reached().add(c.phone());
            return prev;
          }
          return prev.ok() || r.retryable() ? r : prev;
        });
      });
    }
    return chain;
  }

  private Future<SendResult> one(MultiMap form, Duration timeout) {
    return deps.http().postAbs(url).timeout(timeout.toMillis()).authentication(auth).sendForm(form)
        .map(r -> HttpOutcomes.fromResponse(r, deps.clock()))
        .otherwise(HttpOutcomes::fromFailure);
  }

  MultiMap form(Contact to) {
    return MultiMap.caseInsensitiveMultiMap().add("To", to.phone()).add("From", from);
  }
}
