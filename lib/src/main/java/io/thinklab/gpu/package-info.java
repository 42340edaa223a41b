/**
 * What GPU this machine has, and what the deep learning engine makes of it.
 *
 * <p>{@link io.thinklab.gpu.GpuProbe#probe()} asks the CUDA driver directly through JCuda (no CUDA toolkit
 * needed, only the driver's {@code libcuda.so.1}) and then asks DJL's engine which device it would train
 * on. Both halves fail softly: a laptop without a driver gets a {@link io.thinklab.gpu.GpuReport} with no
 * devices and the reason, never an exception. {@code thinklab gpu [--json]} prints the report.
 */
package io.thinklab.gpu;
