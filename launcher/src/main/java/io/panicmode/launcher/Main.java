package io.panicmode.launcher;

import io.panicmode.api.ctl.CtlCommand;
import io.panicmode.collector.AuthScanCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code panicmode [run] [options]} and the other commands. Every command but {@code run} returns
 * an exit code; {@code run} keeps the process alive until a signal stops it.
 */
public final class Main {
  private Main() {}

  static final String USAGE = """
      Usage:
        panicmode [run] [--config FILE] [--roles collector,detector,action,alert,storage,api] [--cluster]
        panicmode validate [FILE]          (also: --validate, --check; no FILE: the one run would use)
        panicmode auth-scan [--mode normal|aggressive] [--all] FILE
        panicmode replay --config FILE --auth-log LOG [--json]
        panicmode ctl COMMAND ...          (list, block, unblock, incidents, agents, status, thaw, reload)
        panicmode certs init --dir DIR | certs issue NODE... --dir DIR
        panicmode version
      """;

  public static void main(String[] args) {
    ProcessLaunch.preferVfork(System.getProperties(), System.getProperty("os.name"), Runtime.version().feature());
    if (args.length > 0 && args[0].equals("ctl")) {
      // A one-shot command logs nothing through Vert.x; configuring logback for it alone took most
      // of a second of the command's start.
      System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    }
    int code = dispatch(args, System.getenv(), System.out, System.err);
    if (code != RunCommand.RUNNING) System.exit(code);
  }

  static int dispatch(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String first = args.length == 0 ? "run" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    return switch (first) {
      case "validate", "--validate", "--check" -> ValidateCommand.run(rest, env, out, err);
      case "auth-scan" -> AuthScanCommand.run(rest, out, err);
      case "replay" -> ReplayCommand.run(rest, env, out, err);
      case "ctl" -> CtlCommand.run(rest, env, out, err);
      case "certs" -> CertsCommand.run(rest, out, err);
      case "version", "--version" -> {
        out.println("panicmode " + io.panicmode.runtime.Version.current());
        yield 0;
      }
      case "help", "--help", "-h" -> {
        out.print(USAGE);
        yield 0;
      }
      case "run" -> RunCommand.run(rest, env, err);
      default -> first.startsWith("-") ? RunCommand.run(args, env, err) : usage(err, "unknown command \"" + first + "\"");
    };
  }

  static int usage(PrintStream err, String problem) {
    err.println("Error: " + problem);
    err.print(USAGE);
    return 2;
  }
}
