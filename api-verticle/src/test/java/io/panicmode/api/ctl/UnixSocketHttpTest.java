package io.panicmode.api.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnixSocketHttpTest {
  static byte[] raw(String s) {
    return s.replace("|", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '#', value = {
      "content length in bytes# HTTP/1.1 201 Created|Content-Length: 10||{\"a\":\"é\"}# 201# {\"a\":\"é\"}",
      "to the end# HTTP/1.1 200 OK|Connection: close||{}# 200# {}",
      "chunked# HTTP/1.1 200 OK|Transfer-Encoding: chunked||3|{\"a|4;ext=1|\":1}|0||# 200# {\"a\":1}"})
  void answers(String name, String wire, int status, String body) throws Exception {
    UnixSocketHttp.Response r = UnixSocketHttp.parse(raw(wire));
    assertEquals(status, r.status());
    assertEquals(body, r.body());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"SSH-2.0-OpenSSH_9.6|", "HTTP/1.1 200 OK|Transfer-Encoding: chunked||zz||",
      "HTTP/1.1 200 OK|Transfer-Encoding: chunked||ff|short"})
  void garbageIsAFailureNotACrash(String wire) {
    assertThrows(UnixSocketHttp.Failure.class, () -> UnixSocketHttp.parse(raw(wire)));
  }
}
