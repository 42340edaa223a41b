package io.thinklab.course;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Where library code shows something in a Jupyter notebook: {@link #show} puts a value (a chart, a table) into the
 * running cell's output and returns its id; {@link #update} replaces that output in place, which is how a chart
 * redraws while a cell runs.
 *
 * <p>Use {@link #current()}. In ThinkLab's Java kernel it is the kernel's own {@code display} and
 * {@code updateDisplay}, the functions a notebook cell calls; the library finds them at run time, by name, because
 * it does not depend on the kernel. Anywhere else (a test, the command line) it is {@link #NONE}, which shows
 * nothing. Headless execution (nbclient, as CI runs the notebooks) goes through the kernel too, and the executed
 * notebook keeps the last version of each output.
 */
public interface NotebookDisplay {

  /** Shows {@code value} in the cell's output; returns the id that {@link #update} replaces. */
  String show(Object value);

  /** Replaces the output shown under {@code id} by {@code value}. */
  void update(String id, Object value);

  /** Shows nothing: outside a notebook kernel. */
  NotebookDisplay NONE = new NotebookDisplay() {
    @Override
    public String show(Object value) {
      return "";
    }

    @Override
    public void update(String id, Object value) {}
  };

  /** ThinkLab's kernel's display when this code runs inside that kernel, else {@link #NONE}. */
  static NotebookDisplay current() {
    Method show;
    Method update;
    try {
      Class<?> kernel = Class.forName("io.thinklab.kernel.Notebook", true, NotebookDisplay.class.getClassLoader());
      show = kernel.getMethod("display", Object.class, String[].class);
      update = kernel.getMethod("updateDisplay", String.class, Object.class, String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return NONE;
    }
    return new NotebookDisplay() {
      @Override
      public String show(Object value) {
        return (String) call(show, value, new String[0]);
      }

      @Override
      public void update(String id, Object value) {
        call(update, id, value, new String[0]);
      }
    };
  }

  private static Object call(Method m, Object... args) {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
