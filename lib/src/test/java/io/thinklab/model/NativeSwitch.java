package io.thinklab.model;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the native extension's tests ({@code @ExtendWith(NativeSwitch.class)}): each test is skipped without the library
 * (failed under {@code THINKLAB_NATIVE_REQUIRED=1}, see {@link NativeOpsTest#requireLibrary}), starts with the
 * extension off and leaves the switch as it found it.
 */
public final class NativeSwitch implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NativeSwitch.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    NativeOpsTest.requireLibrary();
    context.getStore(NS).put("before", NativeOps.setEnabled(false));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Boolean before = context.getStore(NS).get("before", Boolean.class);
    if (before != null) {
      NativeOps.setEnabled(before);
    }
  }
}
