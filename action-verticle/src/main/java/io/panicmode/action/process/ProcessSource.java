package io.panicmode.action.process;

import java.util.List;
import java.util.Optional;

/** Where processes are read from: /proc, or (in tests) a view limited to processes the test owns. Blocking. */
public interface ProcessSource {
  List<ProcInfo> list();

  Optional<ProcInfo> read(int pid);
}
