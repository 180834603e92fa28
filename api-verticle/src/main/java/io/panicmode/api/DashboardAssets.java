package io.panicmode.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The dashboard's files, read once from the classpath {@code webroot/} (the jar) and never from the
 * working directory, so a stray {@code ./webroot/} cannot replace the page. No file name is
 * fingerprinted, so every answer is {@code Cache-Control: no-cache} with a content ETag: browsers
 * revalidate each load (304 when unchanged) and see an upgrade at once.
 */
final class DashboardAssets implements Handler<RoutingContext> {
  private static final String ROOT = "webroot/";

  private record Asset(Buffer body, String contentType, String etag) {}

  private final Map<String, Asset> assets;

  private DashboardAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** The dashboard in {@code loader}'s {@code webroot/}, or null when it has none (no index.html). */
  static DashboardAssets fromClasspath(ClassLoader loader) {
    URL index = loader.getResource(ROOT + "index.html");
    if (index == null) return null;
    Map<String, Asset> found = new TreeMap<>();
    for (String name : listNames(index)) {
      try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
        if (in == null) continue;
        byte[] bytes = in.readAllBytes();
        found.put(name, new Asset(Buffer.buffer(bytes), contentType(name), etag(bytes)));
      } catch (IOException e) {
        throw new UncheckedIOException("reading dashboard file " + ROOT + name + " from the classpath", e);
      }
    }
    return new DashboardAssets(Map.copyOf(found));
  }

  /** File names directly under webroot/, whether it is a directory (tests, IDE) or inside a jar. */
  private static Iterable<String> listNames(URL index) {
    try {
      if (index.getProtocol().equals("jar")) {
        JarURLConnection conn = (JarURLConnection) index.openConnection();
        conn.setUseCaches(false);
        try (JarFile jar = conn.getJarFile()) {
          return jar.stream().map(JarEntry::getName)
              .filter(n -> n.startsWith(ROOT) && !n.endsWith("/") && n.indexOf('/', ROOT.length()) < 0)
              .map(n -> n.substring(ROOT.length())).toList();
        }
      }
      try (Stream<Path> files = Files.list(Path.of(index.toURI()).getParent())) {
        return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list the dashboard files next to " + index, e);
    }
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.normalizedPath();
    Asset asset = assets.get(path.equals("/") ? "index.html" : path.substring(1));
    if (asset == null) {
      rc.next();
      return;
    }
    rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader(HttpHeaders.ETAG, asset.etag());
    String seen = rc.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (seen != null && (seen.equals(asset.etag()) || seen.equals("W/" + asset.etag()))) {
      rc.response().setStatusCode(304).end();
      return;
    }
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).end(asset.body());
  }

  private static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return switch (ext) {
      case "html" -> "text/html;charset=UTF-8";
      case "js" -> "text/javascript;charset=UTF-8";
      case "css" -> "text/css;charset=UTF-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "json" -> "application/json";
      default -> "application/octet-stream";
    };
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(sha, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
