#!/usr/bin/env python3
"""PyTorch peer for the CPU and CUDA benchmarks: a full ResNet-preact-20 training step (forward, backward,
SGD with Nesterov momentum and weight decay) on random 1x28x28 images, timed like ours.

Prints one line: `img/s <value>`. Run with Debian's interpreter: /usr/bin/python3 (python3-torch).
The model mirrors Models/ResNetPreact.cs (hysts' pytorch_image_classification resnet_preact).
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, preact):
        super().__init__()
        self.preact = preact
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Sequential()
        if cin != cout:
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
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.blocks(self.conv(x))
        x = F.relu(self.bn(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--size", type=int, default=28)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.device == "cuda":
        # The same terms as ours: FP32 without TF32, algorithms chosen by timing (cuDNN's benchmark mode).
        torch.backends.cudnn.benchmark = True
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
    model = ResNetPreact(in_channels=a.channels).to(a.device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
    x = torch.randn(a.batch_size, a.channels, a.size, a.size, device=a.device)
    y = torch.randint(0, 10, (a.batch_size,), device=a.device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    elapsed = time.perf_counter() - start
    print(f"img/s {a.batch_size * a.steps / elapsed:.1f}")


if __name__ == "__main__":
    main()
