/**
 * ThinkLab's Java kernel for Jupyter: an in-process JShell speaking the Jupyter protocol through JJava's
 * protocol layer ({@code org.dflib.jjava:jjava-jupyter}).
 *
 * <p>Notebooks see {@link io.thinklab.kernel.Notebook}'s statics ({@code display}, {@code render},
 * {@code updateDisplay}) without an import, the magics {@code %jars %classpath %maven %load %time}, and rich
 * output for Tablesaw tables, Plotly figures, images and any object that follows the convention in
 * {@link io.thinklab.kernel.Displays}. {@link io.thinklab.kernel.KernelMain} is the entry point Jupyter starts.
 */
package io.thinklab.kernel;
