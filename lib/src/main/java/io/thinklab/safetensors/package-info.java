/**
 * Reading and writing Hugging Face safetensors files: the weights of base models and PEFT adapters.
 *
 * <p>A safetensors file is an 8-byte little-endian header length {@code N}, then {@code N} bytes of JSON
 * ({@code {"name": {"dtype": "BF16", "shape": [r, c], "data_offsets": [begin, end]}, "__metadata__": {...}}}),
 * then the raw little-endian tensor bytes. {@link io.thinklab.safetensors.SafetensorsFile} maps one file
 * (any size: each tensor is mapped on its own), validates the header and converts F32/F16/BF16 to the
 * run's dtype; {@link io.thinklab.safetensors.Checkpoint} opens a model folder, sharded or not;
 * {@link io.thinklab.safetensors.SafetensorsWriter} writes a file atomically.
 *
 * <p>Why not DJL's own decoder: it reads the whole file into one Java array (so under 2 GiB) and its
 * PyTorch engine cannot make bf16 arrays from bytes (only the lab's native extension gives it bf16 at all), the dtype
 * most checkpoints ship in. Format: https://github.com/huggingface/safetensors
 */
package io.thinklab.safetensors;
