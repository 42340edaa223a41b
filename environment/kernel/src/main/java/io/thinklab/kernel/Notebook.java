package io.thinklab.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * What a notebook cell can call without an import (the kernel imports these statics at start). IJava's display API,
 * so notebooks run unchanged on either kernel.
 *
 * <pre>{@code
 * String id = display(lossTable);        // shows it now, returns the display id
 * updateDisplay(id, lossTableLater);     // replaces that output in place (a live training curve)
 * render(figure, "text/html")            // as the last expression: shows only the HTML form
 * display("<b>Bold</b>", "text/html");   // text is published as each mime type asked for
 * display("alert('hi');", "application/javascript");
 * }</pre>
 *
 * <p>A cell whose last expression is {@code display(x)} shows x once: the kernel does not also print the id.
 */
public final class Notebook {
    private Notebook() {
    }

    /** Shows {@code value} now (only as {@code mimes} when given); returns the id for {@link #updateDisplay}. */
    public static String display(Object value, String... mimes) {
        return JavaKernel.current().display(value, mimes);
    }

    /** The mime bundle for {@code value}; as a cell's last expression, that is what the cell shows. */
    public static DisplayData render(Object value, String... mimes) {
        return Displays.render(value, mimes);
    }

    /** Replaces the output shown under {@code id} (from {@link #display}) by {@code value}. */
    public static void updateDisplay(String id, Object value, String... mimes) {
        JavaKernel.current().updateDisplay(id, value, mimes);
    }
}
