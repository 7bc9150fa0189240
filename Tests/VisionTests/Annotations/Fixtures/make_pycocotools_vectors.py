"""Writes pycocotools_vectors.json: RLE strings, areas and boxes from pycocotools, the oracle the Swift RLE code is
tested against. Run with pycocotools installed (`pip install pycocotools`); the tests only read the JSON."""
import json
import random

import numpy as np
from importlib.metadata import version
import pycocotools.mask as mask_util

random.seed(20240611)
rng = np.random.default_rng(20240611)


def blob_mask(h, w):
    m = np.zeros((h, w), dtype=np.uint8)
    for _ in range(random.randint(0, 4)):
        cy, cx = random.uniform(-2, h + 2), random.uniform(-2, w + 2)
        ry, rx = random.uniform(0.5, h / 2 + 1), random.uniform(0.5, w / 2 + 1)
        yy, xx = np.mgrid[0:h, 0:w]
        m |= (((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1).astype(np.uint8)
    return m


def rle_entry(m):
    h, w = m.shape
    rle = mask_util.encode(np.asfortranarray(m))
    counts = []
    flat = m.flatten(order="F")
    prev, run = 0, 0
    for p in flat:
        if p != prev:
            counts.append(run)
            run, prev = 0, p
        run += 1
    counts.append(run)
    return {
        "height": h, "width": w, "counts": counts, "string": rle["counts"].decode("ascii"),
        "area": int(mask_util.area(rle)), "bbox": [float(v) for v in mask_util.toBbox(rle)],
    }


masks = []
for _ in range(24):
    masks.append(rle_entry(blob_mask(random.randint(1, 40), random.randint(1, 40))))
for _ in range(4):
    h, w = random.randint(1, 12), random.randint(1, 12)
    masks.append(rle_entry((rng.random((h, w)) < 0.5).astype(np.uint8)))
masks.append(rle_entry(np.zeros((7, 5), dtype=np.uint8)))
masks.append(rle_entry(np.ones((6, 9), dtype=np.uint8)))
big = np.zeros((600, 800), dtype=np.uint8)
big[10:590, 3:790] = 1
big[200:201, 100:700] = 0
masks.append(rle_entry(big))

# Odd counts lists, fed to pycocotools as uncompressed RLE: its bbox arithmetic on them.
odd = []
for h, w, counts in [(3, 3, [5, 0, 4]), (4, 2, [0, 6, 2]), (2, 5, [2, 3, 0, 1, 4]), (5, 5, [25]),
                     (3, 4, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), (4, 4, [3, 2, 5, 6]), (4, 4, [0, 16])]:
    rle = mask_util.frPyObjects({"size": [h, w], "counts": counts}, h, w)
    odd.append({"height": h, "width": w, "counts": counts, "string": rle["counts"].decode("ascii"),
                "area": int(mask_util.area(rle)), "bbox": [float(v) for v in mask_util.toBbox(rle)]})


def poly_entry(polys, h, w):
    rles = mask_util.frPyObjects(polys, h, w)
    rle = mask_util.merge(rles)
    return {"height": h, "width": w, "polygons": polys, "string": rle["counts"].decode("ascii"),
            "area": int(mask_util.area(rle)), "bbox": [float(v) for v in mask_util.toBbox(rle)]}


polygons = []
for _ in range(20):
    h, w = random.randint(5, 60), random.randint(5, 60)
    polys = []
    for _ in range(random.randint(1, 3)):
        n = random.randint(3, 9)
        pts = []
        for _ in range(n):
            pts += [round(random.uniform(-4, w + 4), random.choice([0, 1, 2])),
                    round(random.uniform(-4, h + 4), random.choice([0, 1, 2]))]
        polys.append(pts)
    polygons.append(poly_entry(polys, h, w))
polygons.append(poly_entry([[1, 1, 1, 1, 8, 1, 8, 6, 8, 6, 1, 6]], 10, 10))  # repeated points
polygons.append(poly_entry([[2.5, 2.5, 7.5, 2.5, 7.5, 7.5, 2.5, 7.5]], 10, 12))
polygons.append(poly_entry([[0, 0, 20, 0, 20, 20, 0, 20]], 10, 10))  # beyond the image
polygons.append(poly_entry([[3, 3, 6, 3, 6, 6]], 8, 8))
polygons.append(poly_entry([[1, 1, 9, 1, 9, 9, 1, 9], [3, 3, 12, 3, 12, 12, 3, 12]], 15, 15))  # overlapping

with open("pycocotools_vectors.json", "w") as f:
    json.dump({"generator": "pycocotools " + version("pycocotools"),
               "masks": masks, "oddCounts": odd, "polygons": polygons}, f, separators=(",", ":"))
    f.write("\n")
