// bf16 for DJL 0.36's PyTorch engine, without rebuilding DJL: part of ThinkLab's native extension.
//
// Why. DJL's Java API has DataType.BFLOAT16 (ordinal 11), but its JNI (libdjl_torch.so, pytorch-native 0.36.0) maps
// dtypes in two switches that know only ordinals 0-8: a bf16 tensor reports UNKNOWN, and any op that is handed
// ordinal 11 (toType, zeros, full, softmax, ...) reaches an empty `throw;` that aborts the JVM.
//
// How. Java binds a native method to its C function once, and JNI's RegisterNatives may bind it again. installBf16
// rebinds the few PyTorchLibrary methods that carry a dtype to the functions below. Each one handles bf16 itself
// and hands every other dtype, unchanged, to DJL's own function (looked up in the loaded libdjl_torch.so), so for
// fp32/fp16/int tensors nothing changes, bit for bit. Only this process is affected, only after installBf16.
//
// The methods rebound (DJL's signatures): torchDType, torchTo, torchEmpty, torchZeros, torchOnes, torchFull,
// torchZerosLike, torchOnesLike, torchSoftmax, torchLogSoftmax, torchCumProd. Other dtype-taking ones (random
// sampling, arange, fromBlob, ...) still abort on ordinal 11: the lab never asks them for bf16.
#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/full.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/zeros_like.h>
#include <c10/core/GradMode.h>
#include <c10/util/Exception.h>
#include <dlfcn.h>
#include <jni.h>

#include "djl_handles.h"

#include <string>
#include <vector>

namespace {

constexpr jint kDjlBf16 = 11;     // DataType.BFLOAT16.ordinal()
constexpr jint kDjlUnknown = 9;   // DataType.UNKNOWN.ordinal(): what DJL's torchDType answers for bf16

// DJL's own functions, for every dtype but bf16 (filled by installBf16).
jint (*djlDType)(JNIEnv*, jobject, jlong);
jlong (*djlTo)(JNIEnv*, jobject, jlong, jint, jintArray);
jlong (*djlEmpty)(JNIEnv*, jobject, jlongArray, jint, jint, jintArray, jboolean);
jlong (*djlZeros)(JNIEnv*, jobject, jlongArray, jint, jint, jintArray, jboolean);
jlong (*djlOnes)(JNIEnv*, jobject, jlongArray, jint, jint, jintArray, jboolean);
jlong (*djlFull)(JNIEnv*, jobject, jlongArray, jdouble, jint, jint, jintArray, jboolean);
jlong (*djlZerosLike)(JNIEnv*, jobject, jlong, jint, jint, jintArray, jboolean);
jlong (*djlOnesLike)(JNIEnv*, jobject, jlong, jint, jint, jintArray, jboolean);
jlong (*djlSoftmax)(JNIEnv*, jobject, jlong, jlong, jint);
jlong (*djlLogSoftmax)(JNIEnv*, jobject, jlong, jlong, jint);
jlong (*djlCumProd)(JNIEnv*, jobject, jlong, jlong, jint);

using thinklab::guarded;
using thinklab::handle;
using thinklab::tensor;

// DJL's device array {type, index}; the CPU has no index.
c10::Device deviceOf(JNIEnv* env, jintArray jdevice) {
  jint d[2];
  env->GetIntArrayRegion(jdevice, 0, 2, d);
  auto type = static_cast<c10::DeviceType>(d[0]);
  return c10::Device(type, type == c10::DeviceType::CPU ? -1 : static_cast<c10::DeviceIndex>(d[1]));
}

std::vector<int64_t> shapeOf(JNIEnv* env, jlongArray jshape) {
  std::vector<int64_t> shape(env->GetArrayLength(jshape));
  env->GetLongArrayRegion(jshape, 0, static_cast<jsize>(shape.size()), reinterpret_cast<jlong*>(shape.data()));
  return shape;
}

// The options DJL gives a new tensor (contiguous), in bf16; DJL's strided layout (0) only: the lab makes no sparse or
// MKL-DNN ones. Without requires_grad, which ATen's factories refuse: made(...) sets it on the result.
at::TensorOptions bf16Options(JNIEnv* env, jint layout, jintArray jdevice) {
  TORCH_CHECK(layout == 0, "bf16 (ThinkLab's DJL patch): only the strided layout, not DJL layout ", layout);
  return at::TensorOptions().dtype(at::kBFloat16).device(deviceOf(env, jdevice))
      .memory_format(at::MemoryFormat::Contiguous);
}

jlong made(at::Tensor t, jboolean grad) {
  if (grad == JNI_TRUE) t.set_requires_grad(true);
  return handle(std::move(t));
}

jint dType(JNIEnv* env, jobject self, jlong h) {
  jint t = djlDType(env, self, h);
  return t == kDjlUnknown && tensor(h).scalar_type() == at::kBFloat16 ? kDjlBf16 : t;
}

jlong to(JNIEnv* env, jobject self, jlong h, jint dtype, jintArray jdevice) {
  if (dtype != kDjlBf16) return djlTo(env, self, h, dtype, jdevice);
  return guarded(env, [&] {
    c10::AutoGradMode off(false);  // as DJL's toType: without autograd (use NativeOps.cast for a differentiable one)
    return handle(tensor(h).to(deviceOf(env, jdevice), at::kBFloat16, false));
  });
}

jlong empty(JNIEnv* env, jobject self, jlongArray shape, jint dtype, jint layout, jintArray dev, jboolean grad) {
  if (dtype != kDjlBf16) return djlEmpty(env, self, shape, dtype, layout, dev, grad);
  return guarded(env, [&] { return made(at::empty(shapeOf(env, shape), bf16Options(env, layout, dev)), grad); });
}

jlong zeros(JNIEnv* env, jobject self, jlongArray shape, jint dtype, jint layout, jintArray dev, jboolean grad) {
  if (dtype != kDjlBf16) return djlZeros(env, self, shape, dtype, layout, dev, grad);
  return guarded(env, [&] { return made(at::zeros(shapeOf(env, shape), bf16Options(env, layout, dev)), grad); });
}

jlong ones(JNIEnv* env, jobject self, jlongArray shape, jint dtype, jint layout, jintArray dev, jboolean grad) {
  if (dtype != kDjlBf16) return djlOnes(env, self, shape, dtype, layout, dev, grad);
  return guarded(env, [&] { return made(at::ones(shapeOf(env, shape), bf16Options(env, layout, dev)), grad); });
}

jlong full(JNIEnv* env, jobject self, jlongArray shape, jdouble value, jint dtype, jint layout, jintArray dev,
           jboolean grad) {
  if (dtype != kDjlBf16) return djlFull(env, self, shape, value, dtype, layout, dev, grad);
  return guarded(env, [&] {
    return made(at::full(shapeOf(env, shape), value, bf16Options(env, layout, dev)), grad);
  });
}

jlong zerosLike(JNIEnv* env, jobject self, jlong h, jint dtype, jint layout, jintArray dev, jboolean grad) {
  if (dtype != kDjlBf16) return djlZerosLike(env, self, h, dtype, layout, dev, grad);
  return guarded(env, [&] { return made(at::zeros_like(tensor(h), bf16Options(env, layout, dev)), grad); });
}

jlong onesLike(JNIEnv* env, jobject self, jlong h, jint dtype, jint layout, jintArray dev, jboolean grad) {
  if (dtype != kDjlBf16) return djlOnesLike(env, self, h, dtype, layout, dev, grad);
  return guarded(env, [&] { return made(at::ones_like(tensor(h), bf16Options(env, layout, dev)), grad); });
}

jlong softmax(JNIEnv* env, jobject self, jlong h, jlong dim, jint dtype) {
  if (dtype != kDjlBf16) return djlSoftmax(env, self, h, dim, dtype);
  return guarded(env, [&] { return handle(tensor(h).softmax(dim, at::kBFloat16)); });
}

jlong logSoftmax(JNIEnv* env, jobject self, jlong h, jlong dim, jint dtype) {
  if (dtype != kDjlBf16) return djlLogSoftmax(env, self, h, dim, dtype);
  return guarded(env, [&] { return handle(tensor(h).log_softmax(dim, at::kBFloat16)); });
}

jlong cumProd(JNIEnv* env, jobject self, jlong h, jlong dim, jint dtype) {
  if (dtype != kDjlBf16) return djlCumProd(env, self, h, dim, dtype);
  return guarded(env, [&] { return handle(tensor(h).cumprod(dim, at::kBFloat16)); });
}

struct Rebinding {
  const char* name;
  const char* signature;
  void* replacement;
  void** original;
};

}  // namespace

extern "C" {

// Rebinds PyTorchLibrary's dtype-taking methods (see the top of this file). djlLibrary: the path of the
// libdjl_torch.so DJL loaded (its functions stay the ones that run for every dtype but bf16). Returns null when done,
// else what is missing. Calling it again changes nothing.
JNIEXPORT jstring JNICALL Java_io_thinklab_model_NativeOps_installBf160(JNIEnv* env, jclass, jclass library,
                                                                        jstring djlLibrary) {
  static bool installed = false;
  if (installed) return nullptr;
  const char* path = env->GetStringUTFChars(djlLibrary, nullptr);
  void* djl = dlopen(path, RTLD_NOW | RTLD_NOLOAD);  // the copy already loaded, not a second one
  std::string where(path);
  env->ReleaseStringUTFChars(djlLibrary, path);
  if (djl == nullptr) return env->NewStringUTF(("DJL's JNI is not loaded from " + where).c_str());
  Rebinding table[] = {
      {"torchDType", "(J)I", reinterpret_cast<void*>(dType), reinterpret_cast<void**>(&djlDType)},
      {"torchTo", "(JI[I)J", reinterpret_cast<void*>(to), reinterpret_cast<void**>(&djlTo)},
      {"torchEmpty", "([JII[IZ)J", reinterpret_cast<void*>(empty), reinterpret_cast<void**>(&djlEmpty)},
      {"torchZeros", "([JII[IZ)J", reinterpret_cast<void*>(zeros), reinterpret_cast<void**>(&djlZeros)},
      {"torchOnes", "([JII[IZ)J", reinterpret_cast<void*>(ones), reinterpret_cast<void**>(&djlOnes)},
      {"torchFull", "([JDII[IZ)J", reinterpret_cast<void*>(full), reinterpret_cast<void**>(&djlFull)},
      {"torchZerosLike", "(JII[IZ)J", reinterpret_cast<void*>(zerosLike), reinterpret_cast<void**>(&djlZerosLike)},
      {"torchOnesLike", "(JII[IZ)J", reinterpret_cast<void*>(onesLike), reinterpret_cast<void**>(&djlOnesLike)},
      {"torchSoftmax", "(JJI)J", reinterpret_cast<void*>(softmax), reinterpret_cast<void**>(&djlSoftmax)},
      {"torchLogSoftmax", "(JJI)J", reinterpret_cast<void*>(logSoftmax), reinterpret_cast<void**>(&djlLogSoftmax)},
      {"torchCumProd", "(JJI)J", reinterpret_cast<void*>(cumProd), reinterpret_cast<void**>(&djlCumProd)},
  };
  std::vector<JNINativeMethod> methods;
  for (Rebinding& r : table) {
    std::string symbol = std::string("Java_ai_djl_pytorch_jni_PyTorchLibrary_") + r.name;
    *r.original = dlsym(djl, symbol.c_str());
    if (*r.original == nullptr) return env->NewStringUTF((where + " has no " + symbol).c_str());
    methods.push_back({const_cast<char*>(r.name), const_cast<char*>(r.signature), r.replacement});
  }
  if (env->RegisterNatives(library, methods.data(), static_cast<jint>(methods.size())) != 0) {
    env->ExceptionClear();
    return env->NewStringUTF("RegisterNatives refused PyTorchLibrary's methods (another DJL version?)");
  }
  installed = true;
  return nullptr;
}

}  // extern "C"
