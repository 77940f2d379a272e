package soko.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.domain.JavaMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import soko.model.VerifiedModel;

/**
 * The dependency rules of the README's architecture picture, checked on the main classes of every
 * module (this module's test class path has them all).
 */
class ArchitectureTest {
  static JavaClasses soko;

  @BeforeAll
  static void importClasses() {
    soko = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test jars
        .importPackages("soko");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("soko.(*)..").should().beFreeOfCycles().check(soko);
  }

  @Test
  void verificationAndEventsDependOnTheJdkOnly() {
    classes().that().resideInAnyPackage("soko.verification..", "soko.events..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "org.jspecify..",
            "soko.verification..", "soko.events..", "soko")
        .because("they may name the error root (soko.SokoException, soko.Reason) and nothing else of Soko")
        .check(soko);
  }

  @Test
  void theErrorRootDependsOnTheJdkOnly() {
    assertThat(soko.containPackage("soko")).isTrue();
    classes().that().resideInAPackage("soko")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.jspecify..", "soko")
        .because("every package's exceptions extend soko.SokoException, so the root must sit below them all")
        .check(soko);
  }

  @Test
  void theRuntimeNeverSeesTheStoreOrTheNetwork() {
    noClasses().that().resideInAnyPackage("soko.runtime", "soko.runtime.audio..", "soko.runtime.cloud..")
        .should().dependOnClassesThat().resideInAnyPackage("soko.store..", "soko.acquisition..", "soko.catalog..",
            "soko.app..", "soko.runtime.manager..")
        .because("the engine SPI is what engines see: verified models only, never where they came from")
        .check(soko);
  }

  @Test
  void theRuntimeManagerRunsInstalledModelsAndKnowsNothingOfTheAppLayerOrTheNetwork() {
    // The rule must see the manager, or it would pass on an empty import.
    assertThat(soko.containPackage("soko.runtime.manager")).isTrue();
    noClasses().that().resideInAnyPackage("soko.runtime.manager..")
        .should().dependOnClassesThat().resideInAnyPackage("soko.app..", "soko.acquisition..", "soko.bundle..",
            "soko.engine..", "java.net.http..")
        .because("soko.app makes the manager and hands it the store, the catalogs and the settings; the manager never"
            + " calls back (no cycle between Soko and Engines) and never downloads")
        .check(soko);
  }

  @Test
  void onlyTheAppLayerAndTheCallersOfTheApiUseTheRuntimeManager() {
    noClasses().that().resideInAnyPackage("soko..")
        .and().resideOutsideOfPackages("soko.runtime.manager..", "soko.app..", "soko.cli..", "soko.web..",
            "soko.testkit..")
        .should().dependOnClassesThat().resideInAnyPackage("soko.runtime.manager..")
        .because("engines, the store and the catalogs sit below the runtime manager")
        .check(soko);
  }

  @Test
  void enginesNeverTouchTheStoreTheNetworkOrSettings() {
    noClasses().that().resideInAnyPackage("soko.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("soko.store..", "soko.acquisition..", "soko.catalog..",
            "soko.app..", "soko.runtime.manager..", "soko.inventory..", "java.net.http..")
        .check(soko);
  }

  @Test
  void theInventoryReadsTheStoreThroughItsReadOnlyView() {
    noClasses().that().resideInAnyPackage("soko.inventory..")
        .should().dependOnClassesThat().haveFullyQualifiedName("soko.store.Store")
        .check(soko);
  }

  @Test
  void onlyTheStoreCreatesVerifiedModels() {
    DescribedPredicate<JavaConstructorCall> makesAVerifiedModel = DescribedPredicate.describe(
        "a constructor of " + VerifiedModel.class.getName(),
        call -> call.getTargetOwner().isEquivalentTo(VerifiedModel.class));
    // The rule must see the store's own call, or it would pass on an empty import.
    assertThat(soko.get(VerifiedModel.class).getConstructorCallsToSelf())
        .as("the store's calls to a VerifiedModel constructor")
        .anySatisfy(call -> assertThat(call.getOriginOwner().getPackageName()).isEqualTo("soko.store"));
    noClasses().that().resideOutsideOfPackage("soko.store..")
        .and().doNotBelongToAnyOf(VerifiedModel.class) // its 3-argument constructor delegates to the 4-argument one
        .should().callConstructorWhere(makesAVerifiedModel)
        .because("a VerifiedModel promises its files were hashed by the store")
        .check(soko);
  }

  @Test
  void onlyTheAppLayerReadsTheEnvironmentOrSystemPropertiesOrUsesServiceLoader() {
    noClasses().that().resideInAnyPackage("soko..")
        .and().resideOutsideOfPackages("soko.app..", "soko.cli..", "soko.testkit..")
        .and().doNotHaveFullyQualifiedName("soko.engine.onnx.OrtRuntime")
        .should().callMethod(System.class, "getenv")
        .orShould().callMethod(System.class, "getenv", String.class)
        .orShould().callMethod(System.class, "getProperty", String.class)
        .orShould().callMethod(System.class, "getProperty", String.class, String.class)
        .orShould().callMethod(System.class, "getProperties")
        .orShould().callMethod(java.util.ServiceLoader.class, "load", Class.class)
        .orShould().callMethod(java.util.ServiceLoader.class, "load", Class.class, ClassLoader.class)
        .because("settings are resolved once in soko.app and passed down; OrtRuntime is the documented exception"
            + " (ONNX Runtime reads its native path from a system property)")
        .check(soko);
  }

  @Test
  void onlyAcquisitionOpensNetworkConnections() {
    noClasses().that().resideInAnyPackage("soko..")
        .and().resideOutsideOfPackages("soko.acquisition..", "soko.web..", "soko.testkit..")
        .should().dependOnClassesThat().resideInAnyPackage("java.net.http..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
        .orShould().callMethod(java.net.URL.class, "openConnection")
        .orShould().callMethod(java.net.URL.class, "openStream")
        .check(soko);
  }

  @Test
  void everyConnectionIsMadeByTheConnector() {
    noClasses().that().resideInAnyPackage("soko..")
        .and().resideOutsideOfPackages("soko.web..", "soko.testkit..")
        // Trust's trust manager is handed the Connector's socket by the JDK (X509ExtendedTrustManager); it opens none
        .and().haveNameNotMatching("soko\\.acquisition\\.(Connector|HttpResponse|HttpBodies|Trust)(\\$.*)?")
        .should().dependOnClassesThat().resideInAnyPackage("java.net.http..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("javax.net.ssl.SSLSocket")
        .orShould().callMethod(java.net.URL.class, "openConnection")
        .orShould().callMethod(java.net.URL.class, "openStream")
        .because("one connector takes the one HttpSettings (timeouts, User-Agent, proxy, TLS trust) for every request")
        .check(soko);
  }

  @Test
  void theWebPageAndTheCliGoThroughTheAppLayer() {
    noClasses().that().resideInAnyPackage("soko.web..", "soko.cli..")
        .should().dependOnClassesThat(DescribedPredicate.describe("acquisition classes other than its exceptions",
            c -> c.getPackageName().startsWith("soko.acquisition") && !c.getSimpleName().endsWith("Exception")))
        .orShould().dependOnClassesThat().resideInAnyPackage("soko.engine..", "soko.internal..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("soko.store.Store")
        .because("they call soko.app; they may only name the exceptions it declares")
        .check(soko);
  }

  @Test
  void publicSignaturesCarryJdkAndSokoTypesOnly() {
    DescribedPredicate<JavaClass> foreign = DescribedPredicate.describe("a third-party type",
        c -> !c.getPackageName().startsWith("java") && !c.getPackageName().startsWith("soko")
            && !c.isPrimitive() && !(c.isArray() && (c.getBaseComponentType().isPrimitive()
                || c.getBaseComponentType().getPackageName().startsWith("java")
                || c.getBaseComponentType().getPackageName().startsWith("soko"))));
    ArchCondition<JavaMethod> noForeignTypes = new ArchCondition<>("use only JDK and Soko types in their signature") {
      @Override
      public void check(JavaMethod m, ConditionEvents events) {
        boolean bad = foreign.test(m.getRawReturnType()) || m.getRawParameterTypes().stream().anyMatch(foreign::test);
        if (bad) {
          events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + m.getRawReturnType().getName()
              + " " + m.getRawParameterTypes()));
        }
      }
    };
    ArchRule rule = methods().that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .and().areDeclaredInClassesThat().resideInAnyPackage("soko..")
        .and().areDeclaredInClassesThat().resideOutsideOfPackages("soko.internal..", "soko.cli..", "soko.engine.onnx",
            "soko.testkit..")
        .should(noForeignTypes)
        .because("Jackson, picocli and ONNX Runtime types must not leak into Soko's API (OrtRuntime in"
            + " soko.engine.onnx is an engine-internal holder)");
    rule.check(soko);
  }

  static boolean isPublic(JavaClass c) {
    return c.getModifiers().contains(JavaModifier.PUBLIC);
  }
}
