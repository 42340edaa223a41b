package io.thinklab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library's layers, enforced on its bytecode (so a fully-qualified use counts as much as an import): a package
 * may use only the packages of the layers below its own, never one beside or above it, and no package cycle exists.
 * The layers follow the lifecycle, from the files and the model up to the commands:
 *
 * <pre>
 * safetensors, gpu, curves → model → lora → data → tokens → diagnose, compare, sample → run → train → generate
 *   → eval, preflight → next → course → cli
 * </pre>
 *
 * A new package must be given its place in {@link #LAYERS}.
 */
class ArchitectureTest {

  /** Bottom first; the packages of one layer may not use each other. */
  static final List<List<String>> LAYERS = List.of(
      List.of("safetensors", "gpu", "curves"),   // files, the GPU probe, reading metrics
      List.of("model"),                          // the Llama model and its Adapter interface
      List.of("lora"),                           // LoRA, an Adapter
      List.of("data"),                           // triplets and their training text
      List.of("tokens"),                         // tokenizers
      List.of("diagnose", "compare", "sample"),  // token lengths, teachers compared, synthetic samples
      List.of("run"),                            // run files and what they name
      List.of("train"),                          // the trainer and the recipe
      List.of("generate"),                       // decoding a trained model
      List.of("eval", "preflight", "bench", "parity"),  // grading; checking a run before it is paid for;
                                                 // the LoRA step beside the peer's; PEFT round-trip files
      List.of("next"),                           // after SFT: DPO, GRPO
      List.of("course"),                         // the notebooks' helpers
      List.of("cli"));                           // the commands

  static final JavaClasses LIBRARY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("io.thinklab");

  @Test
  void everyPackageHasItsLayer() {
    Set<String> found = LIBRARY.stream().map(ArchitectureTest::topPackage).filter(p -> !p.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> placed = LAYERS.stream().flatMap(List::stream).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(placed, found, "place every package of io.thinklab in ArchitectureTest.LAYERS");
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.thinklab.(*)..").should().beFreeOfCycles().check(LIBRARY);
  }

  @Test
  void packagesUseOnlyTheLayersBelowTheirs() {
    for (int layer = 0; layer < LAYERS.size(); layer++) {
      for (String pkg : LAYERS.get(layer)) {
        List<String> notBelow = new ArrayList<>();
        for (int other = layer; other < LAYERS.size(); other++) {
          for (String p : LAYERS.get(other)) {
            if (!p.equals(pkg)) {
              notBelow.add("io.thinklab." + p + "..");
            }
          }
        }
        if (notBelow.isEmpty()) {
          continue;
        }
        noClasses().that().resideInAPackage("io.thinklab." + pkg + "..")
            .should().dependOnClassesThat().resideInAnyPackage(notBelow.toArray(String[]::new))
            .because(pkg + " sits below " + notBelow.stream().map(p -> p.substring(12, p.length() - 2)).toList())
            .check(LIBRARY);
      }
    }
  }

  /** {@code io.thinklab.train.LoraRecipe$Plan} → {@code train}; classes directly in {@code io.thinklab} → "". */
  private static String topPackage(JavaClass c) {
    String p = c.getPackageName();
    if (!p.startsWith("io.thinklab.")) {
      return "";
    }
    String rest = p.substring("io.thinklab.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
