# Shared by scripts/run and scripts/test (sourced, not executed): make .venv and install the
# project into it, once per change of pyproject.toml, and make sure Qt's system libraries exist.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

find_python() {
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else 1)' \
         2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "错误：需要 Python 3.11–3.13，请先安装。" >&2
  return 1
}

# ensure_venv EXTRAS: EXTRAS is "" for the app, "[dev]" for the test tools too.
ensure_venv() {
  local extras="$1"
  local stamp="$VENV/.installed-${extras:-app}"
  local want
  want="$(sha256sum < "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -x "$PY" ]; then
    echo "创建虚拟环境 .venv …"
    "$(find_python)" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "安装依赖（首次较慢）…"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade "pip==25.3"
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT$extras"
    echo "$want" > "$stamp"
  fi
  ensure_qt_libraries
}

# Qt's platform plugin for this session (xcb under X11, wayland, offscreen without a display) needs
# system libraries that minimal Linux images lack: install them as root with apt-get, otherwise
# the check names the packages in Chinese and the start stops (scripts/qt_platform_check.py).
ensure_qt_libraries() {
  [ "$(uname -s)" = "Linux" ] || return 0
  local check="$ROOT/scripts/qt_platform_check.py" missing
  missing="$("$PY" "$check" --packages)"
  if [ -n "$missing" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装 Qt 所需的系统库：$missing …"
    apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
  "$PY" "$check"
}
