"""What the interpretability stop asserts, each sentence checked by an experiment.

Every number comes from the shipped model and the shipped images, so the checks are exact
re-measurements, not statistics over random draws.
"""

from __future__ import annotations

from ...chapter import Claim

GAP_BOUND = 0.05


def _gap(result):
    gl = result["methods"]["gausslegendre"]["max_relative_gap"]
    right = result["methods"]["riemann_right"]["max_relative_gap"]
    return gl < GAP_BOUND and gl < right, (
        f"largest |gap| / |score change| over {result['images']} images at {result['steps']} "
        f"steps: Gauss-Legendre {gl:.4f}, right Riemann sum {right:.4f}"
    )


def _grad_cam_area(result):
    cam, area = result["shares"]["grad_cam"], result["area"]
    return abs(cam - area) < 0.1, (
        f"Grad-CAM's share on the garment {cam:.3f}; the garment's share of the image {area:.3f}"
    )


def _occlusion_focus(result):
    occ, area = result["shares"]["occlusion"], result["area"]
    return occ > 0.75 and occ > area + 0.2, (
        f"occlusion's share on the garment {occ:.3f}; garment area {area:.3f}"
    )


def _sanity(frames):
    last = frames[-1]["correlation"]
    final = {name: values[-1] for name, values in last.items()}
    ok = (final["saliency"] < 0.2 and final["grad_cam"] < 0.2
          and final["integrated_gradients"] > 0.6)  # fmt: skip
    return ok, "rank correlation with the trained maps, all layers randomized: " + ", ".join(
        f"{k} {v:.3f}" for k, v in final.items()
    )


def _baselines(result):
    white = next(r for r in result["baselines"] if r["baseline"] == "white")
    rho = white["rank_correlation"]
    return rho < 0.3, f"rank correlation of |IG| from a black and from a white baseline: {rho:.3f}"


def _mistakes(result):
    return result["over_90"] >= 10, (
        f"{result['wrong']} of {result['total']} test images wrong, {result['over_90']} of them "
        "with more than 90% confidence"
    )


CLAIMS = [
    Claim("ig-gap",
          "With 50 steps of the Gauss-Legendre rule, the completeness gap stays below 5% of the "
          "change of the score on every one of 32 test images, smaller than the right Riemann "
          "sum's.",
          "completeness", _gap, params={"images": 32, "steps": 50}, tiny={"images": 8}),
    Claim("grad-cam-not-on-garment",
          "Grad-CAM's share on the garment is within 10 points of the garment's share of the "
          "image.",
          "focus", _grad_cam_area, params={"images": 64}, tiny={"images": 64}),
    Claim("occlusion-on-garment",
          "Occlusion puts more than 75% of its positive mass on the garment.",
          "focus", _occlusion_focus, params={"images": 64}, tiny={"images": 32}),
    Claim("sanity-separates",
          "Once every layer is random, saliency and Grad-CAM keep a rank correlation below 0.2 "
          "with their maps of the trained model, while integrated gradients keep more than 0.6.",
          "sanity", _sanity, params={"images": 8}, tiny={"images": 4}),
    Claim("baseline-matters",
          "From a white baseline instead of a black one, the map's rank correlation with the "
          "first falls below 0.3.",
          "baselines", _baselines, params={"index": 0}),
    Claim("confident-mistakes",
          "At least ten test images are wrong with more than 90% confidence.",
          "mistakes", _mistakes, params={"count": 8}),
]  # fmt: skip
