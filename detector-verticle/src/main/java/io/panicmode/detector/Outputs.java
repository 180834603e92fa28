package io.panicmode.detector;

import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.Incident;
import java.util.List;

/**
 * Where the detector's decisions go: the event bus in the daemon, a printer in replay, a recorder
 * in tests. Calls come from the detector's thread, critical incidents first; an implementation
 * must not block (queue slow work) and must send protective commands before anything else.
 */
public interface Outputs {
  /** An incident fired; {@code commands} are its protective actions (unsigned), one per non-alert action. */
  void fired(Incident incident, List<ActionCommand> commands);

  /** The incident's rule alerts and the alert rate limit let it through. Follows {@link #fired}. */
  void alert(Incident incident);

  /** An incident resolved; {@code alert} is true when its firing was alerted, so people hear it recovered. */
  void resolved(Incident incident, boolean alert);
}
