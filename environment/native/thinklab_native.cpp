// ThinkLab's native extension: the few fused PyTorch ops that DJL's Java API lacks, applied to DJL's own tensors.
// Java side: lib/src/main/java/io/thinklab/model/NativeOps.java. Build: environment/native/build.sh.
//
// Handles. In DJL's PyTorch engine (v0.36.0, pytorch-native/src/main/native) a PtNDArray's long handle is the address
// of a heap-allocated torch::Tensor (= at::Tensor): every JNI op returns `new torch::Tensor(result)` and
// PtNDArray.close() calls torchDeleteTensor, which deletes that pointer. This file reads its inputs the same way and
// returns `new at::Tensor(result)`; Java wraps the address in `new PtNDArray(manager, handle)`, so DJL's close frees it.
//
// Autograd. DJL loads libtorch once per process and this library links to that same copy (by soname), so there is one
// dispatcher and one autograd engine: the ops below run under the calling thread's grad mode (DJL's
// GradientCollector turns it on), record their backward nodes like DJL's own ops, and DJL's backward walks them.
//
// Only ATen's per-operator headers and autograd's custom Function are included (not <torch/torch.h>).
#include <ATen/Context.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/_fused_sdp_choice.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/full.h>
#include <ATen/ops/mm.h>
#include <ATen/ops/rsqrt.h>
#include <ATen/ops/scaled_dot_product_attention.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/where.h>
#include <ATen/ops/zeros.h>
#include <ATen/SDPBackend.h>
#include <c10/util/Exception.h>
#include <jni.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>

#include "djl_handles.h"

#include <limits>
#include <optional>
#include <string>

namespace {

using thinklab::guarded;
using thinklab::handle;
using thinklab::tensor;

// The mask of a fused attention: an additive float mask in the queries' dtype. The model's masks hold
// -FLT_MAX where a query may not look; in fp16/bf16 that would become -inf (and a fully masked row NaN), so it is
// clamped to the dtype's lowest finite value first: a fully masked row stays uniform, as in the eager attention.
at::Tensor additiveMask(const at::Tensor& mask, const at::Tensor& q) {
  if (mask.scalar_type() == q.scalar_type() || mask.scalar_type() == at::kBool) {
    return mask;
  }
  double lowest = q.scalar_type() == at::kHalf ? -65504.0 : q.scalar_type() == at::kBFloat16 ? -3.38e38 : -3.4e38;
  return mask.clamp_min(lowest).to(q.scalar_type());
}

// Keys or values (B, nkv, S, hd) -> (B, nkv*g, S, hd): query head j reads kv head j / g (Transformers' repeat_kv).
at::Tensor repeatKv(const at::Tensor& kv, int64_t g) {
  if (g == 1) {
    return kv;
  }
  auto s = kv.sizes();
  return kv.unsqueeze(2).expand({s[0], s[1], g, s[2], s[3]}).reshape({s[0], s[1] * g, s[2], s[3]});
}

struct Attention {
  at::Tensor k, v;
  std::optional<at::Tensor> mask;
  bool causal;
  bool gqa;  // let the kernel share kv heads itself (enable_gqa) instead of repeating them
};

// Picks how to run softmax(q kᵀ/√hd + mask) v for PyTorch's fastest kernel on this device: grouped-query attention
// as the kernel's own (enable_gqa) where the fused kernel takes it (CUDA's), else the kv heads repeated (libtorch
// 2.7.1's fused CPU kernel refuses enable_gqa and would fall back to the unfused math kernel).
Attention plan(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, jlong maskHandle) {
  TORCH_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4, "attention: q, k, v must be (B, heads, T, hd)");
  TORCH_CHECK(q.size(1) % k.size(1) == 0, "attention: ", q.size(1), " query heads do not share ", k.size(1),
              " kv heads evenly");
  Attention a{k, v, std::nullopt, maskHandle == 0, false};
  if (maskHandle != 0) {
    a.mask = additiveMask(tensor(maskHandle), q);
  }
  int64_t g = q.size(1) / k.size(1);
  if (g > 1) {
    auto choice = at::_fused_sdp_choice(q, k, v, a.mask, 0.0, a.causal, std::nullopt, true);
    a.gqa = choice != static_cast<int64_t>(at::SDPBackend::math);
    if (!a.gqa) {
      a.k = repeatKv(k, g);
      a.v = repeatKv(v, g);
    }
  }
  return a;
}

// The LM head fused with the summed next-token cross-entropy (the loss of NextTokenLoss.alignedSum):
//   loss = Σ_{n: target[n] ≠ −100} logsumexp(h[n]·Wᵀ) − (h[n]·Wᵀ)[target[n]]      (fp32; h·Wᵀ in h's dtype)
// The (N, V) logits exist only `chunk` rows at a time. The loss is a scalar, so its gradient is computed in the same
// pass, chunk by chunk: dlogits = softmax − onehot(target) on trained rows, dh = dlogits·W, dW = dlogitsᵀ·h; the
// backward only scales them by the incoming gradient. Cost: the same two matmuls per chunk as forward + backward of
// the unfused head, without keeping any logits for the backward.
struct HeadLoss : torch::autograd::Function<HeadLoss> {
  static constexpr int64_t kIgnore = -100;

  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& hidden, const at::Tensor& weight,
                            const at::Tensor& targets, int64_t chunk) {
    TORCH_CHECK(hidden.size(-1) == weight.size(1), "headLoss: hidden width ", hidden.size(-1), " but the head is ",
                weight.sizes());
    TORCH_CHECK(chunk > 0, "headLoss: chunk must be positive, not ", chunk);
    at::Tensor h = hidden.reshape({-1, hidden.size(-1)});           // (N, H)
    at::Tensor t = targets.reshape({-1});                           // (N)
    TORCH_CHECK(t.size(0) == h.size(0), "headLoss: ", h.size(0), " hidden rows but ", t.size(0), " targets");
    bool needH = hidden.requires_grad(), needW = weight.requires_grad();
    at::Tensor loss = at::zeros({}, hidden.options().dtype(at::kFloat));
    at::Tensor dh = needH ? at::empty(h.sizes(), h.options()) : at::Tensor();
    at::Tensor dw = needW ? at::zeros(weight.sizes(), weight.options().dtype(at::kFloat)) : at::Tensor();
    int64_t n = h.size(0);
    for (int64_t from = 0; from < n; from += chunk) {
      int64_t len = std::min(chunk, n - from);
      at::Tensor hc = h.narrow(0, from, len);
      at::Tensor tc = t.narrow(0, from, len);
      at::Tensor trained = tc.ne(kIgnore).to(at::kFloat).unsqueeze(1);          // (c, 1)
      at::Tensor safe = at::where(tc.ne(kIgnore), tc, 0).unsqueeze(1);         // (c, 1)
      at::Tensor logits = at::mm(hc, weight.t()).to(at::kFloat);               // (c, V)
      at::Tensor lse = logits.logsumexp(1, true);                              // (c, 1)
      loss.add_(lse.sub(logits.gather(1, safe)).mul_(trained).sum());
      if (needH || needW) {
        at::Tensor g = logits.sub_(lse).exp_();                                // softmax, in place of the logits
        g.scatter_add_(1, safe, at::full({len, 1}, -1.0f, g.options()));       // − onehot(target)
        g.mul_(trained);                                                       // untrained rows: no gradient
        if (needH) {
          dh.narrow(0, from, len).copy_(at::mm(g.to(weight.scalar_type()), weight));
        }
        if (needW) {
          dw.add_(at::mm(g.t(), hc.to(at::kFloat)));
        }
      }
    }
    ctx->save_for_backward({dh, dw});
    ctx->saved_data["hidden_shape"] = hidden.sizes();
    ctx->saved_data["hidden_dtype"] = static_cast<int64_t>(hidden.scalar_type());
    ctx->saved_data["weight_dtype"] = static_cast<int64_t>(weight.scalar_type());
    return loss;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const at::Tensor& g = grads[0];                                            // 0-d fp32
    at::Tensor dh, dw;
    if (saved[0].defined()) {
      auto type = static_cast<at::ScalarType>(ctx->saved_data["hidden_dtype"].toInt());
      dh = saved[0].to(at::kFloat).mul(g).to(type).reshape(ctx->saved_data["hidden_shape"].toIntVector());
    }
    if (saved[1].defined()) {
      dw = saved[1].mul(g).to(static_cast<at::ScalarType>(ctx->saved_data["weight_dtype"].toInt()));
    }
    return {dh, dw, at::Tensor(), at::Tensor()};
  }
};

}  // namespace

extern "C" {

// The libtorch version these headers belong to, e.g. "2.7.1": Java compares it with the one DJL loaded.
JNIEXPORT jstring JNICALL Java_io_thinklab_model_NativeOps_torchVersion0(JNIEnv* env, jclass) {
  return env->NewStringUTF(TORCH_VERSION);
}

// softmax(q kᵀ / √hd + mask) v, (B, nh, T, hd), through at::scaled_dot_product_attention. q (B, nh, T, hd); k, v
// (B, nkv, S, hd) with nh a multiple of nkv (GQA); mask 0 = causal (query i sees keys j ≤ i, T = S), else an additive
// mask broadcastable to (B, nh, T, S).
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_attention0(JNIEnv* env, jclass, jlong q, jlong k, jlong v,
                                                                    jlong mask) {
  return guarded(env, [&] {
    const at::Tensor& query = tensor(q);
    Attention a = plan(query, tensor(k), tensor(v), mask);
    return handle(at::scaled_dot_product_attention(query, a.k, a.v, a.mask, 0.0, a.causal, std::nullopt, a.gqa));
  });
}

// Which kernel attention0 runs for these inputs (at::SDPBackend: 0 math, 1 flash, 2 efficient, 3 cuDNN).
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_attentionKernel0(JNIEnv* env, jclass, jlong q, jlong k,
                                                                          jlong v, jlong mask) {
  return guarded(env, [&] {
    const at::Tensor& query = tensor(q);
    Attention a = plan(query, tensor(k), tensor(v), mask);
    return static_cast<jlong>(at::_fused_sdp_choice(query, a.k, a.v, a.mask, 0.0, a.causal, std::nullopt, a.gqa));
  });
}

// RMSNorm as Transformers' LlamaRMSNorm: statistics in fp32, the normalised x cast back to x's dtype, then the
// weight: (x32 · rsqrt(mean(x32², -1) + eps)).to(x.dtype) · weight.
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_rmsNorm0(JNIEnv* env, jclass, jlong x, jlong weight,
                                                                  jdouble eps) {
  return guarded(env, [&] {
    const at::Tensor& input = tensor(x);
    at::Tensor x32 = input.to(at::kFloat);
    at::Tensor inv = at::rsqrt(x32.square().mean(-1, true).add(eps));
    return handle(x32.mul(inv).to(input.scalar_type()).mul(tensor(weight)));
  });
}

// Rotary embedding, "rotate half" layout: x·cos + [−x₂, x₁]·sin, written per half so that no rotated copy of x is
// made: [x₁·cos₁ − x₂·sin₁, x₂·cos₂ + x₁·sin₂]. x (…, hd); cos, sin broadcastable to x.
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_rotary0(JNIEnv* env, jclass, jlong x, jlong cos, jlong sin) {
  return guarded(env, [&] {
    const at::Tensor& in = tensor(x);
    int64_t half = in.size(-1) / 2;
    TORCH_CHECK(in.size(-1) == 2 * half, "rotary: the head dimension must be even, not ", in.size(-1));
    at::Tensor x1 = in.narrow(-1, 0, half), x2 = in.narrow(-1, half, half);
    const at::Tensor &c = tensor(cos), &s = tensor(sin);
    at::Tensor c1 = c.narrow(-1, 0, half), c2 = c.narrow(-1, half, half);
    at::Tensor s1 = s.narrow(-1, 0, half), s2 = s.narrow(-1, half, half);
    return handle(at::cat({x1.mul(c1).sub(x2.mul(s1)), x2.mul(c2).add(x1.mul(s2))}, -1));
  });
}

// SwiGLU's gate: silu(gate) · up, silu = g · sigmoid(g) in one kernel (and one backward node).
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_swiglu0(JNIEnv* env, jclass, jlong gate, jlong up) {
  return guarded(env, [&] { return handle(at::silu(tensor(gate)).mul(tensor(up))); });
}

// x in another floating dtype, differentiable (the backward casts the gradient back): unlike DJL's toType, which
// runs under NoGradGuard. scalarType is c10::ScalarType's number (Java maps DJL's DataType to it).
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_cast0(JNIEnv* env, jclass, jlong x, jint scalarType) {
  return guarded(env, [&] {
    auto type = static_cast<at::ScalarType>(scalarType);
    TORCH_CHECK(at::isFloatingType(type), "cast: only floating dtypes keep a gradient, not ", type);
    return handle(tensor(x).to(type));
  });
}

// Σ of the next-token cross-entropy of the LM head's logits, fused (HeadLoss above): hidden (…, H) in the model's
// dtype, weight (V, H), targets (…) int64 with −100 where not trained, chunk rows of logits at a time. A 0-d fp32
// tensor, differentiable in hidden and weight.
JNIEXPORT jlong JNICALL Java_io_thinklab_model_NativeOps_headLoss0(JNIEnv* env, jclass, jlong hidden, jlong weight,
                                                                   jlong targets, jlong chunk) {
  return guarded(env, [&] { return handle(HeadLoss::apply(tensor(hidden), tensor(weight), tensor(targets), chunk)); });
}

// fp32 matmuls in TF32 on a GPU (PyTorch's torch.set_float32_matmul_precision: "high") or in full fp32 ("highest",
// PyTorch's default); no effect on a CPU. Returns whether TF32 was allowed before.
JNIEXPORT jboolean JNICALL Java_io_thinklab_model_NativeOps_allowTf320(JNIEnv* env, jclass, jboolean on) {
  bool before = at::globalContext().float32MatmulPrecision() != at::Float32MatmulPrecision::HIGHEST;
  at::globalContext().setFloat32MatmulPrecision(on == JNI_TRUE ? "high" : "highest");
  return before ? JNI_TRUE : JNI_FALSE;
}

}  // extern "C"
