package io.panicmode.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import io.panicmode.config.LoggingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Logging through SLF4J/Logback: readable lines (or JSON lines) on stderr, and the same into a
 * daily-rotated file under {@code storage.log_dir} when it is writable (14 days kept).
 */
final class LoggingSetup {
  private LoggingSetup() {}

  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%n";

  /** Applies the config; returns a warning to log when the file could not be set up, else null. */
  static String apply(LoggingConfig cfg, String logDir) {
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    lc.reset();
    Logger root = lc.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(cfg.level(), Level.INFO));
    lc.getLogger("com.hazelcast").setLevel(Level.WARN);
    lc.getLogger("io.netty").setLevel(Level.WARN);
    // Vert.x uses Hazelcast locks without the CP subsystem by design; its warning at every start is noise.
    lc.getLogger("com.hazelcast.cp").setLevel(Level.ERROR);

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(lc);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder(lc, cfg.format()));
    console.start();
    root.addAppender(console);

    if (!cfg.file()) return null;
    Path dir = Path.of(logDir);
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) return "log file disabled: " + dir + " is not writable";
    } catch (Exception e) {
      return "log file disabled: cannot create " + dir + " (" + e.getMessage() + ")";
    }
    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(lc);
    file.setName("file");
    file.setFile(dir.resolve("panicmode.log").toString());
    TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
    policy.setContext(lc);
    policy.setParent(file);
    policy.setFileNamePattern(dir.resolve("panicmode.%d{yyyy-MM-dd}.log").toString());
    policy.setMaxHistory(14);
    policy.start();
    file.setRollingPolicy(policy);
    file.setEncoder(encoder(lc, cfg.format()));
    file.start();
    root.addAppender(file);
    return null;
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext lc, String format) {
    if ("json".equals(format)) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(lc);
      json.setWithMDC(false);
      json.setWithSequenceNumber(false);
      json.setWithContext(false);
      json.start();
      return json;
    }
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(lc);
    enc.setPattern(PATTERN);
    enc.start();
    return enc;
  }
}
