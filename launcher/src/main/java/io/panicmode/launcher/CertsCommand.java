package io.panicmode.launcher;

import io.panicmode.runtime.ResultSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code panicmode certs init --dir DIR}: a fleet CA ({@code ca.p12}), the trust store every node
 * uses ({@code truststore.p12}) and the fleet operator key ({@code operator.key}).
 * {@code panicmode certs issue NODE... --dir DIR}: for each node, {@code NODE.p12} (the node's key and certificate
 * signed by the CA), {@code NODE.command.key} (the host's action-command key), and the host's
 * result key pair: {@code NODE.result.key} (Ed25519 private key, for its action role only) and
 * {@code results/NODE.result.pub} (for every requester's {@code cluster.result_keys_dir}). Stores are
 * PKCS12 protected by the password in {@code DIR/password} (created by init, mode 0600).
 */
final class CertsCommand {
  private CertsCommand() {}

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration NODE_VALIDITY = Duration.ofDays(825);
  private static final SecureRandom RANDOM = new SecureRandom();

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1) return Main.usage(err, "certs needs init or issue");
    Path dir = null;
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--dir") && i + 1 < args.length) dir = Path.of(args[++i]);
      else if (!args[i].startsWith("-")) nodes.add(args[i]);
      else return Main.usage(err, "unexpected argument \"" + args[i] + "\"");
    }
    if (dir == null) return Main.usage(err, "certs needs --dir DIR");
    try {
      switch (args[0]) {
        case "init" -> {
          if (!nodes.isEmpty()) return Main.usage(err, "unexpected argument \"" + nodes.get(0) + "\"");
          init(dir, out);
        }
        case "issue" -> {
          if (nodes.isEmpty()) return Main.usage(err, "certs issue needs a node name (letters, digits, '.', '-', '_')");
          for (String node : nodes) {
            if (!node.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
              return Main.usage(err, "certs issue: \"" + node + "\" is not a node name (letters, digits, '.', '-', '_')");
            }
          }
          for (String node : nodes) issue(dir, node, out);
        }
        default -> {
          return Main.usage(err, "unknown certs command \"" + args[0] + "\"");
        }
      }
      return 0;
    } catch (Exception e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
  }

  static void init(Path dir, PrintStream out) throws Exception {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.p12");
    if (Files.exists(ca)) throw new IOException(ca + " exists already; refusing to replace the fleet CA");
    char[] password = HexFormat.of().formatHex(randomBytes(16)).toCharArray();
    writeSecret(dir.resolve("password"), new String(password));
    KeyPair kp = keyPair();
    X500Name name = new X500Name("CN=PanicMode fleet CA");
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
        Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate cert = sign(b, kp.getPrivate());
    KeyStore caStore = KeyStore.getInstance("PKCS12");
    caStore.load(null, null);
    caStore.setKeyEntry("ca", kp.getPrivate(), password, new X509Certificate[] {cert});
    store(caStore, ca, password);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("panicmode-ca", cert);
    store(trust, dir.resolve("truststore.p12"), password);
    writeSecret(dir.resolve("operator.key"), HexFormat.of().formatHex(randomBytes(32)));
    out.println("Created fleet CA in " + dir + ": ca.p12, truststore.p12, operator.key, password");
  }

  static void issue(Path dir, String node, PrintStream out) throws Exception {
    char[] password = Files.readString(dir.resolve("password"), StandardCharsets.UTF_8).strip().toCharArray();
    KeyStore caStore = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(dir.resolve("ca.p12"))) {
      caStore.load(in, password);
    }
    PrivateKey caKey = (PrivateKey) caStore.getKey("ca", password);
    X509Certificate caCert = (X509Certificate) caStore.getCertificate("ca");
    KeyPair kp = keyPair();
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now.minusSeconds(60)),
        Date.from(now.plus(NODE_VALIDITY)), new X500Name("CN=" + node), kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    X509Certificate cert = sign(b, caKey);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(node, kp.getPrivate(), password, new X509Certificate[] {cert, caCert});
    store(ks, dir.resolve(node + ".p12"), password);
    writeSecret(dir.resolve(node + ".command.key"), HexFormat.of().formatHex(randomBytes(32)));
    KeyPair resultKeys = ResultSigner.generate();
    writeSecret(dir.resolve(node + ".result.key"), ResultSigner.privateKeyText(resultKeys.getPrivate()));
    Path pubDir = Files.createDirectories(dir.resolve("results"));
    Files.writeString(pubDir.resolve(node + ".result.pub"), ResultSigner.publicKeyText(resultKeys.getPublic()) + "\n",
        StandardCharsets.US_ASCII);
    out.println("Issued " + node + ".p12, " + node + ".command.key, " + node + ".result.key and results/" + node
        + ".result.pub in " + dir);
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void store(KeyStore ks, Path file, char[] password) throws Exception {
    try (OutputStream o = Files.newOutputStream(file)) {
      ks.store(o, password);
    }
    restrict(file);
  }

  private static void writeSecret(Path file, String text) throws IOException {
    Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    restrict(file);
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: nothing to tighten
    }
  }
}
