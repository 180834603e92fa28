package io.panicmode.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The one way PanicMode reads YAML (the config, mass_freeze.yaml, the defaults in the config
 * records): plain maps, lists and scalars only (no tags that build objects), duplicate keys refused
 * instead of the last one silently winning, and the input limits of {@link ConfigLoader} enforced
 * by the parser itself (size, nesting, aliases).
 */
public final class StrictYaml {
  private StrictYaml() {}

  /**
   * The document's tree, null for an empty one.
   *
   * @throws org.yaml.snakeyaml.error.YAMLException (a {@code MarkedYAMLException} with the line and
   *     column when the parser knows them) for text that is not YAML or breaks a limit
   */
  public static Object load(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(ConfigLoader.MAX_ALIASES);
    options.setCodePointLimit(ConfigLoader.MAX_BYTES);
    options.setNestingDepthLimit(ConfigLoader.MAX_DEPTH);
    return new Yaml(new SafeConstructor(options)).load(text);
  }
}
