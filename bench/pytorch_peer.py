#!/usr/bin/env python3
"""PyTorch peer of `sgtrain bench`: a full training step (forward, backward, SGD with Nesterov momentum and weight
decay) of the same network on random images, timed like ours, on the CPU or on CUDA.

Models (each mirrors its counterpart in Models/, so that the parameter counts agree; `params` is printed to check it):
  rp20  ResNet-preact-20 (Models/ResNetPreact.cs; hysts' pytorch_image_classification resnet_preact)
  ss26  shake-shake-26 2x{width}d with Shake-Shake-Image (Models/ShakeShakeResNet.cs; hysts' shake_shake)

Prints, one per line: `params N`, `device NAME`, `img/s X`, and with --memory `step_mib X` (CPU: peak resident set
during the timed steps minus the resident set before the model was built) or `peak_mib X` (CUDA:
torch.cuda.max_memory_allocated after the timed steps, its peak reset before the model was built).

Runs under Debian's PyTorch 1.13 (/usr/bin/python3, python3-torch, CPU) and PyTorch 2.x with CUDA, so it uses only
APIs both have.
"""
import argparse
import re
import threading
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# ResNet-preact ------------------------------------------------------------------------------------------------------


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, preact):
        super().__init__()
        self.preact = preact
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Sequential()
        if cin != cout or stride != 1:
            self.shortcut.add_module("conv", nn.Conv2d(cin, cout, 1, stride, 0, bias=False))

    def forward(self, x):
        if self.preact:
            x = F.relu(self.bn1(x))
            y = self.conv1(x)
        else:
            y = self.conv1(F.relu(self.bn1(x)))
        y = self.conv2(F.relu(self.bn2(y)))
        return y + self.shortcut(x)


class ResNetPreact(nn.Module):
    def __init__(self, depth=20, base=16, in_channels=1, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        chans = [base, base * 2, base * 4]
        self.conv = nn.Conv2d(in_channels, base, 3, 1, 1, bias=False)
        blocks, cin = [], base
        for stage, cout in enumerate(chans):
            for i in range(n):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(BasicBlock(cin, cout, stride, preact=(i == 0)))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.bn = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, classes)
        init_weights(self)

    def forward(self, x):
        x = self.blocks(self.conv(x))
        x = F.relu(self.bn(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


# Shake-shake --------------------------------------------------------------------------------------------------------


class ShakeShakeMix(torch.autograd.Function):
    """alpha*x1 + (1-alpha)*x2 forward; the gradient reaches x1 scaled by beta and x2 by 1-beta, beta drawn
    independently of alpha (Gastaldi's "Shake" backward)."""

    @staticmethod
    def forward(ctx, x1, x2, alpha, beta):
        ctx.save_for_backward(beta)
        return alpha * x1 + (1 - alpha) * x2

    @staticmethod
    def backward(ctx, grad):
        (beta,) = ctx.saved_tensors
        return beta * grad, (1 - beta) * grad, None, None


def shake_shake(x1, x2, training):
    """Shake-Shake-Image: one alpha and one beta per image, uniform in [0, 1); the mean of the branches in eval."""
    if not training:
        return 0.5 * (x1 + x2)
    shape = (x1.size(0), 1, 1, 1)
    alpha = torch.rand(shape, device=x1.device, dtype=x1.dtype)
    beta = torch.rand(shape, device=x1.device, dtype=x1.dtype)
    return ShakeShakeMix.apply(x1, x2, alpha, beta)


class ShakeBranch(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN of the block's ReLU'd input."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, h):
        return self.bn2(self.conv2(F.relu(self.bn1(self.conv1(h)))))


class ShakeShortcut(nn.Module):
    """Where the shape changes: a 1x1 average pool with the block's stride and a 1x1 conv to half the channels, and
    the same of the input shifted by one pixel (complementary pixels), concatenated and batch-normalised."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.conv1 = nn.Conv2d(cin, cout // 2, 1, bias=False)
        self.conv2 = nn.Conv2d(cin, cout // 2, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, h):
        shifted = F.pad(h[:, :, 1:, 1:], (0, 1, 0, 1))
        if self.stride > 1:
            h = F.avg_pool2d(h, 1, self.stride)
            shifted = F.avg_pool2d(shifted, 1, self.stride)
        return self.bn(torch.cat([self.conv1(h), self.conv2(shifted)], dim=1))


class ShakeBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.branch1 = ShakeBranch(cin, cout, stride)
        self.branch2 = ShakeBranch(cin, cout, stride)
        self.shortcut = ShakeShortcut(cin, cout, stride) if cin != cout or stride != 1 else None

    def forward(self, x):
        h = F.relu(x)  # opens both branches and feeds the shortcut, computed once
        y = shake_shake(self.branch1(h), self.branch2(h), self.training)
        return y + (x if self.shortcut is None else self.shortcut(h))


class ShakeShakeResNet(nn.Module):
    def __init__(self, depth=26, width=32, in_channels=3, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for stage, cout in enumerate([width, 2 * width, 4 * width]):
            for i in range(n):
                blocks.append(ShakeBlock(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)
        init_weights(self)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(F.adaptive_avg_pool2d(F.relu(x), 1).flatten(1))


def init_weights(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
        elif isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)


# Memory -------------------------------------------------------------------------------------------------------------


def status_kib(field):
    with open("/proc/self/status") as f:
        return int(re.search(r"^" + field + r":\s+(\d+) kB", f.read(), re.M).group(1))


class ResidentPeak:
    """Peak resident set from now on: the kernel's high-water mark reset through /proc/self/clear_refs, or where
    that is refused, VmRSS sampled every 2 ms on a thread."""

    def __init__(self):
        self.peak = 0
        self.sampler = None
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            self.running = True
            self.sampler = threading.Thread(target=self._sample, daemon=True)
            self.sampler.start()

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, status_kib("VmRSS"))
            time.sleep(0.002)

    def stop(self):
        if self.sampler is None:
            return status_kib("VmHWM")
        self.running = False
        self.sampler.join()
        return max(self.peak, status_kib("VmRSS"))


# The step -----------------------------------------------------------------------------------------------------------


def grad_scaler():
    # torch.amp.GradScaler("cuda") in PyTorch 2.3+, where torch.cuda.amp.GradScaler is deprecated; 1.13 has only the latter.
    if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
        return torch.amp.GradScaler("cuda")
    return torch.cuda.amp.GradScaler()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="rp20", choices=["rp20", "ss26"])
    p.add_argument("--width", type=int, default=32, help="d of shake-shake-26 2xd")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--size", type=int, default=28)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--precision", default="f32", choices=["f32", "tf32", "bf16", "fp16"])
    p.add_argument("--memory", action="store_true", help="also print the step's memory (step_mib or peak_mib)")
    a = p.parse_args()
    if a.device == "cpu" and a.precision != "f32":
        p.error(f"--precision {a.precision} needs --device cuda")
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cuda = a.device == "cuda"
    half = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(a.precision)
    if cuda:
        # Algorithms chosen by timing; TF32 only when asked for (f32 is true FP32, as ours is).
        torch.backends.cudnn.benchmark = True
        torch.backends.cudnn.allow_tf32 = a.precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = a.precision == "tf32"
        torch.cuda.reset_peak_memory_stats()
        print(f"device {torch.cuda.get_device_name()}")
    rss_before = status_kib("VmRSS") if a.memory and not cuda else 0

    if a.model == "rp20":
        model = ResNetPreact(in_channels=a.channels)
    else:
        model = ShakeShakeResNet(width=a.width, in_channels=a.channels)
    print(f"params {sum(t.numel() for t in model.parameters())}")
    model = model.to(a.device)
    x = torch.randn(a.batch_size, a.channels, a.size, a.size, device=a.device)
    y = torch.randint(0, 10, (a.batch_size,), device=a.device)
    if half is not None:
        # Tensor cores want NHWC: PyTorch's recommended layout for mixed precision.
        model = model.to(memory_format=torch.channels_last)
        x = x.to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
    scaler = grad_scaler() if a.precision == "fp16" else None

    def step():
        opt.zero_grad(set_to_none=True)
        if half is None:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        else:
            with torch.autocast(device_type="cuda", dtype=half):
                loss = F.cross_entropy(model(x), y)
            if scaler is None:
                loss.backward()
                opt.step()
            else:
                scaler.scale(loss).backward()
                scaler.step(opt)
                scaler.update()
        return loss.item()

    for _ in range(a.warmup):
        step()
    if cuda:
        torch.cuda.synchronize()
    peak = ResidentPeak() if a.memory and not cuda else None
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    if cuda:
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - start
    print(f"img/s {a.batch_size * a.steps / elapsed:.1f}")
    if peak is not None:
        print(f"step_mib {(peak.stop() - rss_before) / 1024:.1f}")
    if a.memory and cuda:
        print(f"peak_mib {torch.cuda.max_memory_allocated() / 2**20:.1f}")


if __name__ == "__main__":
    main()
