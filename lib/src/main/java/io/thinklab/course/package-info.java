/**
 * The course's shared notebook helpers: {@link io.thinklab.course.Lab} (self-checks, paths, environment line),
 * {@link io.thinklab.course.LoraRun} (one short LoRA run) and {@link io.thinklab.course.LiveLossChart} (the loss chart
 * that redraws in the notebook while a model trains, shown through {@link io.thinklab.course.NotebookDisplay}).
 */
package io.thinklab.course;
