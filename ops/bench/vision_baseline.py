#!/usr/bin/env python3
"""Baseline for `lightbox bench vision`: decoding and perceptual hashing with Pillow and imagehash.

Needs `pip install Pillow imagehash` (exits 2 with that message when either is missing).

    python3 vision_baseline.py [--workers N] [--list FILE]... [DIR_OR_IMAGE...]

Images are every .png, .jpg and .jpeg (any case) under each directory, recursively, skipping hidden files and
directories (names starting with "."), plus image files named directly, plus the paths in each --list file (one per
line; blank lines and lines starting with "#" are skipped; relative paths are relative to the list file's directory).
Duplicates are dropped and the order is sorted.

Main pass (what `images_per_second` measures): for each image, Pillow opens it, `img.load()` decodes it fully, it is
converted to RGB or, for grey modes, to "L" (as Lightbox decodes to grey or RGB, dropping alpha) and
`imagehash.phash(img)` (hash_size 8) hashes it. With --workers N > 1 the images go to a `multiprocessing.Pool(N)`
("fork" start method where available, so that RUSAGE_CHILDREN covers the workers) in chunks, so every core can be
used, as Lightbox does; with N = 1 they are processed in this process. An image that cannot be decoded counts in
`images` and in `failed` and the run goes on. `seconds` is wall time from finding the files to the last hash
(interpreter start and imports excluded).

Second pass (`phash_only_images_per_second`): in the main process, one core, over at most the first 500 images that
decode: each is decoded and converted again, untimed, and only the `imagehash.phash` call is timed (after one untimed
call, as imagehash imports scipy on its first); the images are decoded one at a time so memory stays bounded. This matches Lightbox's PDQ-only figure (one core, decoding
excluded).

`peak_rss_bytes` is the largest peak resident set of the main process and of any worker during the main pass
(`resource.getrusage` RUSAGE_SELF and RUSAGE_CHILDREN, and each worker's own RUSAGE_SELF; ru_maxrss is in KiB on
Linux), taken before the second pass.

Prints one JSON object on its last line: images, seconds, images_per_second, phash_only_images_per_second,
peak_rss_bytes, and also failed, workers and phash_only_images.
"""
import argparse
import json
import multiprocessing
import os
import resource
import sys
import time

try:
    import imagehash
    from PIL import Image
except ImportError as error:
    print(f"vision_baseline.py: {error}; this baseline needs Pillow and imagehash: pip install Pillow imagehash",
          file=sys.stderr)
    sys.exit(2)

EXTENSIONS = (".png", ".jpg", ".jpeg")
PHASH_ONLY_LIMIT = 500


def is_image(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS)


def find_images(directories_or_files: list[str], lists: list[str]) -> list[str]:
    paths = set()
    for item in directories_or_files:
        if os.path.isdir(item):
            for root, directories, files in os.walk(item):
                directories[:] = [d for d in directories if not d.startswith(".")]
                paths.update(os.path.join(root, f) for f in files if not f.startswith(".") and is_image(f))
        elif os.path.isfile(item):
            paths.add(item)
        else:
            raise SystemExit(f"vision_baseline.py: no such file or directory: {item}")
    for list_file in lists:
        base = os.path.dirname(os.path.abspath(list_file))
        try:
            with open(list_file, encoding="utf-8") as lines:
                for line in lines:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        paths.add(line if os.path.isabs(line) else os.path.join(base, line))
        except OSError as error:
            raise SystemExit(f"vision_baseline.py: cannot read --list {list_file}: {error}")
    return sorted(paths)


GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}


def decode(path: str) -> "Image.Image":
    """Opens and fully decodes one image, as grey ("L") or RGB."""
    with Image.open(path) as image:
        image.load()
        if image.mode in ("L", "RGB"):
            return image
        return image.convert("L" if image.mode in GREY_MODES else "RGB")


def check(path: str) -> bool:
    """The main pass's work for one image: decode, convert, phash. False when the image cannot be decoded."""
    try:
        image = decode(path)
    except Exception:  # noqa: BLE001 - corrupt or truncated files are part of real datasets
        return False
    imagehash.phash(image, hash_size=8)
    return True


def check_chunk(paths: list[str]) -> tuple[int, int]:
    """Runs `check` on a chunk in a worker. Returns the failures and the worker's peak RSS in KiB."""
    failed = sum(1 for path in paths if not check(path))
    return failed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main_pass(paths: list[str], workers: int) -> tuple[int, int]:
    """Returns the number of failures and the largest peak RSS reported by a worker (KiB)."""
    if workers == 1:
        return sum(1 for path in paths if not check(path)), 0
    chunk = max(1, min(64, len(paths) // (workers * 16)))
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = context.Pool(workers)
    try:
        results = list(pool.imap_unordered(check_chunk, chunks))
    finally:
        pool.close()
        pool.join()
    return sum(r[0] for r in results), max((r[1] for r in results), default=0)


def phash_only_rate(paths: list[str]) -> tuple[float, int]:
    """phash alone on up to PHASH_ONLY_LIMIT decodable images, one core: images per second and the count."""
    seconds = 0.0
    count = 0
    for path in paths:
        if count == PHASH_ONLY_LIMIT:
            break
        try:
            image = decode(path)
        except Exception:  # noqa: BLE001
            continue
        if count == 0:
            imagehash.phash(image, hash_size=8)  # untimed: imagehash imports scipy on its first call
        start = time.perf_counter()
        imagehash.phash(image, hash_size=8)
        seconds += time.perf_counter() - start
        count += 1
    return (count / seconds if seconds > 0 else 0.0), count


def main() -> None:
    parser = argparse.ArgumentParser(description="Pillow + imagehash.phash baseline for lightbox bench vision.")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--list", action="append", default=[], metavar="FILE",
                        help="a file with one image path per line (repeatable)")
    parser.add_argument("paths", nargs="*", metavar="DIR_OR_IMAGE")
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if not args.paths and not args.list:
        parser.error("give a dataset directory, image files or --list FILE")

    start = time.perf_counter()
    paths = find_images(args.paths, args.list)
    if not paths:
        print("vision_baseline.py: no .png, .jpg or .jpeg images found", file=sys.stderr)
        sys.exit(1)
    failed, worker_peak_kib = main_pass(paths, args.workers)
    seconds = time.perf_counter() - start
    peak_kib = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, worker_peak_kib)
    if failed:
        print(f"vision_baseline.py: {failed} of {len(paths)} images could not be decoded", file=sys.stderr)

    phash_rate, phash_count = phash_only_rate(paths)
    print(json.dumps({
        "images": len(paths),
        "seconds": seconds,
        "images_per_second": len(paths) / seconds,
        "phash_only_images_per_second": phash_rate,
        "peak_rss_bytes": peak_kib * 1024,
        "failed": failed,
        "workers": args.workers,
        "phash_only_images": phash_count,
    }))


if __name__ == "__main__":
    main()
