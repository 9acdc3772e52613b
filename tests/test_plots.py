import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plots


def test_show_rows_grid_and_titles():
    rng = np.random.default_rng(0)
    fig = plots.show_rows(
        [rng.random((12, 784)), rng.normal(size=(12, 32)), rng.random((12, 28, 28, 1))],
        ["original", "code", "reconstruction"],
        image_shapes=[(28, 28), (8, 4), None],
        labels=[str(i) for i in range(10)],
    )
    assert isinstance(fig, plt.Figure) and len(fig.axes) == 30
    assert fig.axes[10].get_ylabel() == "code"
    assert fig.axes[0].get_title() == "0"
    code_image = fig.axes[10].images[0]
    assert code_image.get_array().shape == (8, 4)
    assert code_image.norm.vmin < 0  # codes are scaled to their own range
    plt.close(fig)


def test_show_rows_scales_rows_to_a_given_range():
    codes = np.random.default_rng(0).random((4, 32)) * 3
    fig = plots.show_rows(
        [codes, codes / 2], ["a", "half of a"], image_shapes=[(8, 4)] * 2, scales=[(0, 3)] * 2
    )
    first, second = fig.axes[0].images[0].norm, fig.axes[4].images[0].norm
    assert (first.vmin, first.vmax) == (second.vmin, second.vmax) == (0, 3)
    plt.close(fig)


def test_show_rows_rgb_and_bad_input():
    fig = plots.show_rows([np.ones((3, 8, 8, 3))], ["rgb"])
    assert len(fig.axes) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match="one title per row"):
        plots.show_rows([np.ones((3, 8, 8))], ["a", "b"])
    with pytest.raises(ValueError, match="image_shapes"):
        plots.show_rows([np.ones((3, 784))], ["flat"])


def test_plot_history():
    history = {"loss": [0.4, 0.3], "val_loss": [0.41, 0.32]}
    fig = plots.plot_history({"a": history}, target=0.3)
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert labels == ["a (train)", "a (validation)", "target 0.3"]
    plt.close(fig)


def test_plot_curves_one_line_per_run_and_a_target():
    fig = plots.plot_curves(
        {"long": ([10, 100, 1000], [0.4, 0.3, 0.28]), "short": ([10, 50], [0.41, 0.35])},
        "updates",
        "validation BCE",
        target=0.29,
        logx=True,
    )
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["long", "short", "target 0.29"]
    assert ax.get_xscale() == "log" and ax.get_title() == "validation BCE against updates"
    plt.close(fig)
    with pytest.raises(ValueError, match="2 x values but 1"):
        plots.plot_curves({"bad": ([1, 2], [0.3])}, "x", "y")


def test_show_reconstructions_predicts_with_the_model_it_names():
    inputs = keras.Input((28, 28, 1))
    model = keras.Model(inputs, keras.layers.Activation("sigmoid")(inputs), name="tiny_ae")
    images = np.random.default_rng(0).random((12, 28, 28, 1)).astype("float32")
    fig = plots.show_reconstructions(model, images, n=4)
    assert len(fig.axes) == 8
    assert fig.get_suptitle().startswith("tiny_ae: first 4 test images")
    assert "(BCE of these 4: " in fig.get_suptitle()
    shown = fig.axes[4].images[0].get_array()
    assert np.allclose(shown, 1 / (1 + np.exp(-images[0, ..., 0])), atol=1e-6)
    plt.close(fig)


def test_show_heatmaps_share_one_colour_scale():
    fig = plots.show_heatmaps({"a": np.zeros((4, 4)), "b": np.full((4, 4), 0.2)}, suptitle="errors")
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in fig.axes[:2]] == ["a", "b"]
    assert len(fig.axes) == 3  # two maps and the colour bar
    assert all((im.norm.vmin, im.norm.vmax) == (0.0, 0.2) for im in images)
    plt.close(fig)


def test_show_rows_size():
    fig = plots.show_rows([np.ones((3, 8, 8))], ["big"], size=2.0)
    assert fig.get_size_inches()[0] == 6.0
    plt.close(fig)


def test_latent_figures():
    rng = np.random.default_rng(0)
    codes, labels = rng.normal(size=(100, 2)), rng.integers(0, 10, 100)
    fig = plots.show_latent_scatter(codes, labels)
    assert len(fig.axes[0].patches) == 2  # the radius-1 and radius-2 circles of N(0, I)
    plt.close(fig)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plots.show_latent_scatter(rng.normal(size=(10, 3)), labels[:10])
    fig = plots.show_grid(rng.random((4, 5, 6, 6)), np.arange(4.0), np.arange(5.0), title="grid")
    assert fig.axes[0].images[0].get_array().shape == (24, 30)
    plt.close(fig)
    fig = plots.show_code_histograms({"a": codes, "b": 3 * codes})
    spread = 3 * codes[:, 0].std()
    assert len(fig.axes) == 4 and fig.axes[2].get_title().endswith(f"std {spread:.2f}")
    assert fig.get_suptitle().startswith("Codes of the test images;")
    plt.close(fig)
    fig = plots.show_code_histograms({"a": codes}, dims=1, images="the training photos")
    assert fig.get_suptitle().startswith("Codes of the training photos;")
    plt.close(fig)
