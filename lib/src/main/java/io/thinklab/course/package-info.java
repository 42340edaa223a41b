/**
 * The course's shared notebook helpers: {@link io.thinklab.course.Lab} (self-checks, paths, environment line).
 */
package io.thinklab.course;
