// What ThinkLab's native sources share about DJL's tensors and errors (thinklab_native.cpp, djl_bf16.cpp).
//
// Handles. In DJL's PyTorch engine (v0.36.0) a PtNDArray's long handle is the address of a heap-allocated
// torch::Tensor (= at::Tensor): every JNI op returns `new torch::Tensor(result)` and PtNDArray.close() deletes it.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>
#include <jni.h>

#include <utility>

namespace thinklab {

// The tensor behind a DJL handle.
inline const at::Tensor& tensor(jlong handle) {
  return *reinterpret_cast<const at::Tensor*>(handle);
}

// A result as a new DJL handle (Java wraps it in a PtNDArray, whose close frees it).
inline jlong handle(at::Tensor result) {
  return reinterpret_cast<jlong>(new at::Tensor(std::move(result)));
}

// A C++ exception becomes DJL's EngineException (what DJL's own JNI throws), never a crash of the JVM.
inline void rethrow(JNIEnv* env, const char* what) {
  jclass cls = env->FindClass("ai/djl/engine/EngineException");
  if (cls == nullptr) {  // not on the class path: a plain RuntimeException (FindClass left a pending error)
    env->ExceptionClear();
    cls = env->FindClass("java/lang/RuntimeException");
  }
  env->ThrowNew(cls, what);
}

// Runs body, turning what it throws into a Java exception (and 0 for the caller to return).
template <typename F>
jlong guarded(JNIEnv* env, F body) {
  try {
    return body();
  } catch (const c10::Error& e) {
    rethrow(env, e.what_without_backtrace());
  } catch (const std::exception& e) {
    rethrow(env, e.what());
  }
  return 0;
}

}  // namespace thinklab
