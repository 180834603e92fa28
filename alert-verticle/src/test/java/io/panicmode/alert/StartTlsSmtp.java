package io.panicmode.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal in-JVM SMTP server that offers STARTTLS (GreenMail 2.1 has no STARTTLS), with a
 * self-signed certificate for "localhost". It records the session as events: {@code EHLO},
 * {@code STARTTLS}, {@code AUTH <user> <password> tls=<bool>}, {@code MAIL ...}, {@code RCPT ...},
 * {@code DATA <message>} so tests can check that credentials only ever travel encrypted.
 */
final class StartTlsSmtp implements AutoCloseable {
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final NetServer server;
  private final SelfSignedCertificate cert;

  private StartTlsSmtp(NetServer server, SelfSignedCertificate cert) {
    this.server = server;
    this.cert = cert;
  }

  static StartTlsSmtp start(Vertx vertx) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    NetServer s = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
        .setKeyCertOptions(cert.keyCertOptions()));
    StartTlsSmtp smtp = new StartTlsSmtp(s, cert);
    s.connectHandler(smtp::session);
    s.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return smtp;
  }

  int port() { return server.actualPort(); }

  TrustOptions trust() { return cert.trustOptions(); }

  private void session(NetSocket so) {
    boolean[] tls = {false};
    String[] mode = {"cmd"};
    String[] user = {null};
    StringBuilder data = new StringBuilder();
    RecordParser parser = RecordParser.newDelimited("\r\n");
    parser.handler((Buffer b) -> {
      String line = b.toString(StandardCharsets.UTF_8);
      switch (mode[0]) {
        case "data" -> {
          if (line.equals(".")) {
            events.add("DATA " + data);
            mode[0] = "cmd";
            so.write("250 queued\r\n");
          } else {
            data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
          }
          return;
        }
        case "plain" -> {
          authPlain(line, tls[0]);
          mode[0] = "cmd";
          so.write("235 ok\r\n");
          return;
        }
        case "login-user" -> {
          user[0] = decode(line);
          mode[0] = "login-pass";
          so.write("334 UGFzc3dvcmQ6\r\n");
          return;
        }
        case "login-pass" -> {
          events.add("AUTH " + user[0] + " " + decode(line) + " tls=" + tls[0]);
          mode[0] = "cmd";
          so.write("235 ok\r\n");
          return;
        }
        default -> { }
      }
      String upper = line.toUpperCase();
      if (upper.startsWith("EHLO")) {
        events.add("EHLO");
        so.write(tls[0] ? "250-fake\r\n250 AUTH PLAIN LOGIN\r\n" : "250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n");
      } else if (upper.equals("STARTTLS")) {
        events.add("STARTTLS");
        // From here on the session counts as encrypted: the client's next EHLO must not be
        // offered STARTTLS again. upgradeToSsl(Buffer) writes the plain-text reply and installs
        // TLS in one step (reading paused), so the client's ClientHello cannot slip in between.
        tls[0] = true;
        so.upgradeToSsl(Buffer.buffer("220 go ahead\r\n"));
      } else if (upper.startsWith("AUTH PLAIN")) {
        String rest = line.substring("AUTH PLAIN".length()).trim();
        if (rest.isEmpty()) {
          mode[0] = "plain";
          so.write("334 \r\n");
        } else {
          authPlain(rest, tls[0]);
          so.write("235 ok\r\n");
        }
      } else if (upper.startsWith("AUTH LOGIN")) {
        mode[0] = "login-user";
        so.write("334 VXNlcm5hbWU6\r\n");
      } else if (upper.startsWith("MAIL FROM") || upper.startsWith("RCPT TO")) {
        events.add(line);
        so.write("250 ok\r\n");
      } else if (upper.equals("DATA")) {
        mode[0] = "data";
        data.setLength(0);
        so.write("354 go\r\n");
      } else if (upper.equals("QUIT")) {
        so.write("221 bye\r\n").onComplete(ar -> so.close());
      } else if (upper.equals("RSET") || upper.equals("NOOP")) {
        so.write("250 ok\r\n");
      } else {
        so.write("502 unknown\r\n");
      }
    });
    so.handler(parser);
    so.write("220 fake ESMTP\r\n");
  }

  private void authPlain(String b64, boolean tls) {
    String[] parts = decode(b64).split("\u0000", -1);
    events.add("AUTH " + parts[1] + " " + parts[2] + " tls=" + tls);
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64.trim()), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    cert.delete();
  }
}
