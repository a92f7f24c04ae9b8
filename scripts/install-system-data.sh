#!/usr/bin/env bash
# Installs the Debian packages the tests and examples use when they are missing: Fashion-MNIST
# (dataset-fashion-mnist), an English word list (wamerican), and Chromium with its driver for the
# lab's browser tests. Needs root or sudo; says what to install when neither is there.
set -euo pipefail
missing=()
for pkg in dataset-fashion-mnist wamerican chromium chromium-driver; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "neuronlab: please install the Debian packages ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "neuronlab: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
