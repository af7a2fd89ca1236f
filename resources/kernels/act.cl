/* act.cl: the activations' and losses' arithmetic, once for every kernel that needs it.
 *
 * Not a program of its own: the host (cl/nw-backend-cl.c) puts it in front of elementwise.cl,
 * chain.cl and loss.cl, each behind a `#line 1 "act.cl"` so that build logs point here, and
 * defines before it NW_ACT_LIST(X), X (name, id) for every elementwise activation of core's
 * table (core/nw-activation.h) with id its NwActivation value, and ACT_<name> as that id.
 * The kernels instantiate and dispatch from that list, so an activation exists on OpenCL as
 * soon as its F_/D_ pair below does.
 *
 * Every formula is the CPU's (core/layers/act-formulas.inc) expression for expression, with
 * FP_CONTRACT off (each including file says so), so that both round alike. */

/* The NwLoss values (core/nw-types.h). */
#define LOSS_BCE 0
#define LOSS_BCE_LOGITS 1
#define LOSS_SOFTMAX_XENT 2
#define LOSS_MSE 3

#define INV_SQRT_2PI 0.39894228040143267794f
/* torch.nn.SELU: scale, and scale * alpha (what it multiplies by below zero) */
#define SELU_SCALE 1.0507009873554804934193349852946f
#define SELU_NEG 1.7580993408473768599402175208123f

inline float
sigmoid (const float x)
{
  /* Split by sign so that exp never overflows (as the CPU does). */
  if (x >= 0.0f)
    return 1.0f / (1.0f + exp (-x));
  else
    {
      const float e = exp (x);
      return e / (1.0f + e);
    }
}

inline float
gelu (const float x)
{
  return 0.5f * x * (1.0f + erf (x * 1.41421356237309504880f / 2.0f));
}

/* dY * gelu'(X) */
inline float
gelu_grad (const float x, const float dy)
{
  const float cdf = 0.5f * (1.0f + erf (x * 1.41421356237309504880f / 2.0f));
  const float pdf = exp (-0.5f * x * x) * INV_SQRT_2PI;
  return dy * (cdf + x * pdf);
}

/* F_<name> (x, alpha): the value */
#define F_linear(x, alpha) (x)
#define F_sigmoid(x, alpha) sigmoid (x)
#define F_tanh(x, alpha) tanh (x)
#define F_relu(x, alpha) ((x) > 0.0f ? (x) : 0.0f)
#define F_leaky_relu(x, alpha) ((x) > 0.0f ? (x) : (alpha) * (x))
#define F_elu(x, alpha) ((x) > 0.0f ? (x) : (alpha) * (exp (x) - 1.0f))
#define F_gelu(x, alpha) gelu (x)
#define F_selu(x, alpha) ((x) > 0.0f ? SELU_SCALE * (x) : (exp (x) - 1.0f) * SELU_NEG)
#define F_step(x, alpha) ((x) > 0.0f ? 1.0f : 0.0f)

/* D_<name> (x, y, dy, alpha): dY * act'(X), from X and Y = act(X) */
#define D_linear(x, y, dy, alpha) (dy)
#define D_sigmoid(x, y, dy, alpha) ((dy) * (y) * (1.0f - (y)))
#define D_tanh(x, y, dy, alpha) ((dy) * (1.0f - (y) * (y)))
#define D_relu(x, y, dy, alpha) ((x) > 0.0f ? (dy) : 0.0f)
#define D_leaky_relu(x, y, dy, alpha) ((x) > 0.0f ? (dy) : (alpha) * (dy))
#define D_elu(x, y, dy, alpha) ((x) > 0.0f ? (dy) : (dy) * ((y) + (alpha)))
#define D_gelu(x, y, dy, alpha) gelu_grad (x, dy)
#define D_selu(x, y, dy, alpha) ((x) > 0.0f ? (dy) * SELU_SCALE : (dy) * ((y) + SELU_NEG))
/* The step passes no gradient, by design (its derivative is 0 wherever it exists). */
#define D_step(x, y, dy, alpha) 0.0f

/* One element of an elementwise loss (bce, bce_logits, mse) of prediction p against target
 * t: returns the term to add to the loss sum and sets *g to its gradient times `scale` (the
 * mean's 1/n). Softmax cross-entropy works along a row and stays with its kernels. */
inline float
loss_term (const int kind, const float p, const float t, const float scale, float *g)
{
  if (kind == LOSS_BCE)
    {
      /* PyTorch's BCELoss: logs clamped at -100, gradient denominator >= 1e-12. */
      const float lp = fmax (log (p), -100.0f), l1p = fmax (log1p (-p), -100.0f);
      *g = scale * (p - t) / fmax ((1.0f - p) * p, 1e-12f);
      return -(t * lp + (1.0f - t) * l1p);
    }
  else if (kind == LOSS_BCE_LOGITS)
    {
      *g = scale * (sigmoid (p) - t);
      return fmax (p, 0.0f) - p * t + log1p (exp (-fabs (p)));
    }
  else
    {
      const float d = p - t;
      *g = 2.0f * scale * d;
      return d * d;
    }
}

/* A single-output prediction is right when it is on the target's side of the threshold:
 * 0 for logits, 0.5 for probabilities. */
inline float
one_output_threshold (const int kind)
{
  return kind == LOSS_BCE_LOGITS ? 0.0f : 0.5f;
}
