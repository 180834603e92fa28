package io.panicmode.launcher.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.panicmode.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class BridgePolicyTest {
  /** A self-signed certificate with this subject and these DNS alternative names. */
  private static List<Certificate> cert(String subject, String... dnsNames) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name(subject);
    Date now = new Date();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, now,
        new Date(now.getTime() + 3_600_000), name, kp.getPublic());
    if (dnsNames.length > 0) {
      GeneralName[] names = Arrays.stream(dnsNames).map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    X509Certificate c = new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    return List.of(c);
  }

  @Test
  void theHostIdIsTheCertificatesNameAndNothingElse() throws Exception {
    assertEquals("host-a", BridgePolicy.hostOf(cert("CN=host-a")));
    assertEquals("host-a", BridgePolicy.hostOf(cert("CN=host-a,O=fleet", "host-b")), "the CN wins over alternative names");
    assertNull(BridgePolicy.hostOf(cert("CN=host.example.org")), "not a host id");
    assertEquals("host-b", BridgePolicy.hostOf(cert("O=fleet", "host-b")), "without a CN, its one DNS name");
    assertNull(BridgePolicy.hostOf(cert("O=fleet", "host-b", "host-c")), "two names would let the agent choose");
    assertNull(BridgePolicy.hostOf(cert("O=fleet")));
    assertNull(BridgePolicy.hostOf(List.of()));
  }

  private static JsonObject frame(String address, JsonObject body) {
    return new JsonObject().put("address", address).put("body", body);
  }

  private static JsonObject storageWrite(String host) {
    return new JsonObject().put("kind", "incident").put("payload", new JsonObject().put("host", host));
  }

  @Test
  void sendsAreHeldToTheCertificatesHost() {
    assertNull(BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, storageWrite("a")), "a", false));
    assertEquals(BridgePolicy.OTHER_HOST,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, storageWrite("b")), "a", false));
    JsonObject alert = new JsonObject().put("incident", new JsonObject().put("host", "b"));
    assertEquals(BridgePolicy.OTHER_HOST, BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.ALERTS, alert), "a", false));
    assertEquals(BridgePolicy.MALFORMED,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, new JsonObject()), "a", false));
    assertEquals(BridgePolicy.MALFORMED, BridgePolicy.check(BridgeEventType.SEND,
        frame(Addresses.STORAGE, new JsonObject().put("payload", new JsonObject().put("host", 7))), "a", false));
    assertEquals(BridgePolicy.ADDRESS,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE_QUERY, storageWrite("a")), "a", false));
    assertEquals(BridgePolicy.ADDRESS,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.action("b"), storageWrite("a")), "a", false));
  }

  @Test
  void answersToCommandsPassWithoutAHostInTheBody() {
    assertNull(BridgePolicy.check(BridgeEventType.SEND, frame("__vertx.reply.12", new JsonObject()), "a", true));
  }

  @Test
  void publishesOnlyOfOwnIncidentsHeartbeatsAndBans() {
    JsonObject own = new JsonObject().put("host", "a");
    assertNull(BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.HEARTBEAT, own), "a", false));
    assertNull(BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.INCIDENTS, own), "a", false));
    assertEquals(BridgePolicy.OTHER_HOST,
        BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.HEARTBEAT, new JsonObject().put("host", "b")), "a", false));
    // A shared ban is a BlockRecord: its host is the host that decided the ban.
    assertNull(BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.SHARED_BANS, own), "a", false));
    assertEquals(BridgePolicy.OTHER_HOST,
        BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.SHARED_BANS, new JsonObject().put("host", "b")), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.SHARED_BANS, own), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.action("a"), own), "a", false));
  }

  @Test
  void registrationsOnlyForOwnCommandsAndSharedBans() {
    assertNull(BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.action("a"), null), "a", false));
    assertNull(BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.SHARED_BANS, null), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.action("b"), null), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.STORAGE, null), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.HEARTBEAT, null), "a", false));
  }

  @Test
  void withoutAHostIdNothingPasses() {
    assertEquals(BridgePolicy.NO_IDENTITY, BridgePolicy.check(BridgeEventType.SOCKET_PING, new JsonObject(), null, false));
    assertEquals(BridgePolicy.NO_IDENTITY,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, storageWrite("a")), null, true));
  }
}
