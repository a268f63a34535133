package dev.agentoperator.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Installs the committed CRDs ({@code crds/}) into a (mock) API server. */
public final class Crds {

  private static final Path DIR = Path.of("..", "crds");

  private Crds() {}

  public static void install(KubernetesClient client) {
    for (String file :
        new String[] {
          "agentsessions.agentoperator.dev-v1.yaml", "agentruns.agentoperator.dev-v1.yaml"
        }) {
      try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
        client.apiextensions().v1().customResourceDefinitions().load(in).createOr(c -> c.update());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
