#!/usr/bin/env bash
# The GPU checks, as one command for a machine with an NVIDIA GPU, PyTorch and no .NET (docs/gpu.md):
#   here:      dotnet cake --target=DeviceStage          (writes .device/stage.tar.xz)
#   there:     bash bench/gpu-checks.sh [step ...]        (from the repository root, .device carried along)
# Steps, in order of value (default: env check tests properties bench): env, check (device-check: libraries, then the
# conformance kit on the GPU against the CPU reference), tests (the C# GPU tests besides the kit), properties (the F# CUDA
# properties, FsCheck cases through the kit), bench (our step against
# PyTorch on the same GPU), train (Fashion-MNIST with the published recipe, resumable; TRAIN_EPOCHS, TRAIN_LIMIT_S).
# Each step has a time limit (LIMIT_<STEP>, seconds), writes its log to $OUT/<step>.txt and a line to $OUT/summary.txt,
# and a failing step does not stop the others.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/sg-out}
mkdir -p "$OUT"
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(env check tests properties bench)

if [ ! -x /tmp/sg/dotnet/dotnet ]; then
  mkdir -p /tmp/sg && tar xJf .device/stage.tar.xz -C /tmp/sg || { echo "no .device/stage.tar.xz: run dotnet cake --target=DeviceStage and carry .device" | tee "$OUT/summary.txt"; exit 2; }
fi
export DOTNET_ROOT=/tmp/sg/dotnet PATH=/tmp/sg/dotnet:$PATH DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
python=${PYTHON:-python3}
# The CUDA libraries of PyTorch's wheels (site-packages/nvidia/*/lib) and of a toolkit, if any.
if [ -z "${STATICGRAPH_CUDA_PATH:-}" ]; then
  STATICGRAPH_CUDA_PATH=$("$python" - <<'PY' 2>/dev/null
import glob, os, site
roots = site.getsitepackages() + [site.getusersitepackages()]
dirs = sorted({os.path.dirname(p) for r in roots for p in glob.glob(os.path.join(r, "nvidia", "**", "lib*.so*"), recursive=True)})
print(":".join(dirs + [d for d in ["/usr/local/cuda/lib64"] if os.path.isdir(d)]))
PY
)
  export STATICGRAPH_CUDA_PATH
fi
sg="/tmp/sg/dotnet/dotnet /tmp/sg/bin/sgtrain.dll"

run() { # run NAME LIMIT COMMAND...
  local name=$1 limit=$2 start rc
  shift 2
  echo "== $name (limit ${limit}s): $*"
  start=$(date +%s)
  timeout -k 10 "$limit" "$@" >"$OUT/$name.txt" 2>&1
  rc=$?
  echo "$name rc=$rc $(($(date +%s) - start))s" | tee -a "$OUT/summary.txt"
  tail -n "${TAIL:-25}" "$OUT/$name.txt"
}

for step in "${steps[@]}"; do
  case $step in
    env) run env "${LIMIT_ENV:-60}" bash -c "date -u; nvidia-smi; uname -r; echo STATICGRAPH_CUDA_PATH=\$STATICGRAPH_CUDA_PATH; \
      $python -c 'import torch; print(\"torch\", torch.__version__, \"cuda\", torch.version.cuda, \"cudnn\", torch.backends.cudnn.version(), torch.cuda.get_device_name(0))'; \
      for d in \${STATICGRAPH_CUDA_PATH//:/ }; do ls \$d | grep -E 'lib(cudnn|cublas|nvrtc|nccl)' | sed \"s|^|\$d/|\"; done" ;;
    check) run check "${LIMIT_CHECK:-480}" $sg device-check --bench-steps 0 ${CHECK_CASES:+--cases "$CHECK_CASES"} ;;
    tests) run tests "${LIMIT_TESTS:-150}" /tmp/sg/dotnet/dotnet /tmp/sg/bin/Tests.dll \
      -class StaticGraph.Tests.Cuda.GpuParityTests -class StaticGraph.Tests.Cuda.CudnnCublasDeviceTests \
      -class StaticGraph.Tests.Cuda.CudaDriverBindingTests -class StaticGraph.Tests.Cuda.CudaLibraryLoadingTests \
      -class StaticGraph.Tests.Cuda.MixedPrecisionTests -class StaticGraph.Tests.Cuda.DeviceCheckTests \
      -class StaticGraph.Tests.Cuda.DataParallelLoweringTests ;;
    properties) run properties "${LIMIT_PROPERTIES:-120}" /tmp/sg/dotnet/dotnet /tmp/sg/bin/PropertyTests.dll -class CudaProperties ;;
    bench) run bench "${LIMIT_BENCH:-240}" bash -c "$sg bench --device cuda --python $python --workload rp20c3,rp20,ss26_2x96d --steps 30 --rounds 2 --memory; \
      $sg bench --device cuda --python $python --precision bf16 --workload rp20c3,ss26_2x96d --steps 30 --rounds 2" ;;
    train) run train "${LIMIT_TRAIN:-540}" $sg train --device cuda --dataset fashion-mnist --data-dir "${DATA_DIR:-data/fashion-mnist}" \
      --model resnet-preact-20 --epochs "${TRAIN_EPOCHS:-200}" --lr 0.2 --schedule cosine --batch-size 128 --out "${TRAIN_OUT:-.device/runs/fmnist}" \
      ${TRAIN_RESUME:+--resume "${TRAIN_OUT:-.device/runs/fmnist}"} ;;
    *) echo "unknown step '$step' (env, check, tests, properties, bench, train)" | tee -a "$OUT/summary.txt" ;;
  esac
done
cat "$OUT/summary.txt"
