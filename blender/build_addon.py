#!/usr/bin/env python3
"""Build the installable add-on zip: blender/cinematic_tracking/ with the compiled
`cinematic` package inside it (vendor/cinematic/, the abi3 extension module included).

    python3 blender/build_addon.py [-o dist/cinematic_tracking.zip] [--package-dir DIR]

Without --package-dir it builds the wheel first (`maturin build --release` in
crates/cinematic-py) and vendors what the wheel holds; with it, it vendors an already
installed package directory (the one `import cinematic` finds). Install the zip in
Blender with Edit > Preferences > Add-ons > Install..., or headless:
`bpy.ops.preferences.addon_install(filepath=ZIP)`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "blender" / "cinematic_tracking"


def build_wheel(out_dir: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "maturin", "build", "--release", "--out", str(out_dir)],
        cwd=ROOT / "crates" / "cinematic-py",
        check=True,
    )
    wheels = sorted(out_dir.glob("cinematic-*.whl"))
    if not wheels:
        raise SystemExit("maturin built no wheel in %s" % out_dir)
    return wheels[-1]


def add_tree(archive: zipfile.ZipFile, source: Path, prefix: str) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            archive.write(path, prefix + "/" + path.relative_to(source).as_posix())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "dist" / "cinematic_tracking.zip")
    parser.add_argument("--package-dir", type=Path, help="an installed `cinematic` package directory")
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if args.package_dir is None:
            wheel = build_wheel(work / "wheel")
            with zipfile.ZipFile(wheel) as w:
                w.extractall(work / "unpacked")
            package = work / "unpacked" / "cinematic"
        else:
            package = args.package_dir
        if not (package / "__init__.py").is_file():
            raise SystemExit("%s is not the cinematic package (no __init__.py)" % package)
        temp = args.output.with_name("." + args.output.name + ".tmp")
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            add_tree(archive, ADDON, "cinematic_tracking")
            add_tree(archive, package, "cinematic_tracking/vendor/cinematic")
        os.replace(temp, args.output)
    print(args.output)


if __name__ == "__main__":
    main()
