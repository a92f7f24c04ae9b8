#!/usr/bin/env bash
# Installs Debian's packaged data sets when they are missing: Fashion-MNIST (dataset-fashion-mnist)
# and an English word list (wamerican). Needs root or sudo; prints what to do when neither is there.
set -euo pipefail
missing=()
dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || missing+=(dataset-fashion-mnist)
[ -r /usr/share/dict/words ] || missing+=(wamerican)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "neuronlab: please install the Debian packages ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "neuronlab: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
