package io.panicmode.runtime.sqlite;

import io.vertx.core.json.JsonArray;
import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCEncoder;
import io.vertx.sqlclient.Tuple;

/**
 * Hands each parameter to sqlite-jdbc as it is. The client's default encoder first asks the
 * driver for the parameter's type; sqlite-jdbc answers that with an exception for every
 * parameter, which made each write several times slower. The store only binds values SQLite takes
 * directly (text, integers, reals, null).
 */
public final class SqliteEncoder implements JDBCEncoder {
  @Override
  public Object encode(JsonArray input, int pos, JDBCColumnDescriptorProvider provider) {
    return input.getValue(pos - 1); // the client counts parameters from 1
  }

  @Override
  public Object encode(Tuple input, int pos, JDBCColumnDescriptorProvider provider) {
    return input.getValue(pos - 1); // the client counts parameters from 1
  }
}
