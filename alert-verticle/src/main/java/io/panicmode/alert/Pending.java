package io.panicmode.alert;

import io.panicmode.contracts.AlertRequest;
import java.util.Set;

/** An accepted, not yet delivered alert as the dispatcher tracks it; mirrors one pending outbox row. */
final class Pending {
  final AlertRequest request;
  final long acceptedAt;
  /** Targets that confirmed: lane keys, and lane/contact for channels with several recipients. */
  final Set<String> confirmed;
  int rounds;
  long timerId = -1;
  /** The rendered single-alert text, built once. */
  String text;

  Pending(AlertRequest request, long acceptedAt, Set<String> confirmed, int rounds) {
    this.request = request;
    this.acceptedAt = acceptedAt;
    this.confirmed = confirmed;
    this.rounds = rounds;
  }

  String id() { return request.id(); }
}
