"""Answers to Labs 01 and 02 for the copy flags: the published solution reworded (variables renamed,
lines reordered, comments changed: a copy in disguise) and a second correct implementation written
independently, for every answer cell. Each passes the lab's visible and hidden tests."""

from __future__ import annotations

import nbformat

from course_tools import grade_id

REWORDED = {
    "lab01_to_vectors": '''def to_vectors(images):
    """Flatten (n, 28, 28[, 1]) images into a float32 array of shape (n, 784)."""
    # flatten every picture
    pics = np.asarray(images)
    return pics.reshape(len(pics), -1).astype(np.float32)
''',
    "lab01_build_simple": '''def build_simple_autoencoder(code_size=32):
    """Return the uncompiled dense autoencoder 784 -> code_size (relu) -> 784 (sigmoid)."""
    inp = keras.Input(shape=(784,), name="image")
    z = keras.layers.Dense(code_size, activation="relu", name="code")(inp)
    rec = keras.layers.Dense(784, activation="sigmoid", name="reconstruction")(z)
    return keras.Model(inp, rec, name="simple_autoencoder")
''',
    "lab01_split": '''def split_autoencoder(autoencoder, code_layer="code"):
    """Return (encoder, decoder) models that share the layers of a sequential autoencoder."""
    bottleneck = autoencoder.get_layer(code_layer)
    z_in = keras.Input(shape=bottleneck.output.shape[1:], name="code_input")
    enc = keras.Model(autoencoder.input, bottleneck.output, name="encoder")
    h = z_in
    for lay in autoencoder.layers[autoencoder.layers.index(bottleneck) + 1 :]:
        h = lay(h)
    dec = keras.Model(z_in, h, name="decoder")
    return enc, dec
''',
    "lab01_metrics": '''def reconstruction_metrics(x, x_rec):
    """Return {"bce", "mse", "psnr"}: mean BCE and MSE per pixel, mean PSNR (dB) per image."""
    t = np.asarray(x, np.float64).reshape(len(x), -1)
    q = np.clip(np.asarray(x_rec, np.float64).reshape(len(x), -1), 1e-7, 1 - 1e-7)
    per_img = np.mean((t - q) ** 2, axis=1)
    ce = -np.mean(t * np.log(q) + (1 - t) * np.log(1 - q))
    db = np.mean(10 * np.log10(1.0 / np.maximum(per_img, 1e-10)))
    return {"bce": float(ce), "mse": float(np.mean(per_img)), "psnr": float(db)}
''',
    "lab01_build_deep": '''def build_deep_autoencoder(sizes=(128, 64, 32)):
    """Return the uncompiled deep autoencoder 784 -> sizes -> reversed(sizes[:-1]) -> 784."""
    inp = keras.Input(shape=(784,), name="image")
    h = inp
    for j, n in enumerate(sizes):
        nm = "code" if j == len(sizes) - 1 else f"encoder_{n}"
        h = keras.layers.Dense(n, activation="relu", name=nm)(h)
    for n in reversed(sizes[:-1]):
        h = keras.layers.Dense(n, activation="relu", name=f"decoder_{n}")(h)
    rec = keras.layers.Dense(784, activation="sigmoid", name="reconstruction")(h)
    return keras.Model(inp, rec, name="deep_autoencoder")
''',
    "lab02_to_channels": '''def to_channels(images):
    """Return greyscale images as a new float32 array of shape (n, 28, 28, 1)."""
    arr = np.asarray(images)
    return arr.reshape(len(arr), 28, 28, 1).astype(np.float32)
''',
    "lab02_output_size": '''def conv_output_size(n, kernel, stride=1, padding="valid"):
    """Output height (= width) of a Conv2D or MaxPooling2D layer on an n x n input."""
    if padding == "same":
        return -(-n // stride)
    if padding == "valid":
        return (n - kernel) // stride + 1
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
''',
    "lab02_build_conv": '''def build_conv_autoencoder():
    """Return the uncompiled conv autoencoder of the summary above (4,385 parameters)."""
    L = keras.layers
    inp = keras.Input(shape=(28, 28, 1))
    h = L.Conv2D(16, 3, activation="relu", padding="same")(inp)
    h = L.MaxPooling2D(2)(h)
    h = L.Conv2D(8, 3, activation="relu", padding="same")(h)
    h = L.MaxPooling2D(2)(h)
    h = L.Conv2D(8, 3, activation="relu", padding="same")(h)
    z = L.MaxPooling2D(2, padding="same", name="code")(h)
    h = L.Conv2D(8, 3, activation="relu", padding="same")(z)
    h = L.UpSampling2D(2)(h)
    h = L.Conv2D(8, 3, activation="relu", padding="same")(h)
    h = L.UpSampling2D(2)(h)
    h = L.Conv2D(16, 3, activation="relu", padding="valid")(h)
    h = L.UpSampling2D(2)(h)
    rec = L.Conv2D(1, 3, activation="sigmoid", padding="same")(h)
    return keras.Model(inp, rec, name="conv_autoencoder")
''',
    "lab02_ssim": '''def ssim_per_image(x, x_rec, window=7):
    """Return the mean SSIM over all window x window patches of each image, shape (n,), float64."""
    p = np.asarray(x, np.float64).reshape(np.shape(x)[:3])
    q = np.asarray(x_rec, np.float64).reshape(p.shape)

    def local_mean(img):
        # average of each window x window patch
        views = np.lib.stride_tricks.sliding_window_view(img, (window, window), axis=(1, 2))
        return views.mean(axis=(-2, -1))

    c1, c2 = 0.01**2, 0.03**2
    mp, mq = local_mean(p), local_mean(q)
    vp, vq, cpq = local_mean(p * p) - mp**2, local_mean(q * q) - mq**2, local_mean(p * q) - mp * mq
    m = ((2 * mp * mq + c1) * (2 * cpq + c2)) / ((mp**2 + mq**2 + c1) * (vp + vq + c2))
    return m.mean(axis=(1, 2))
''',
    "lab02_build_strided": '''def build_strided_autoencoder():
    """Return the uncompiled strided-conv / transposed-conv autoencoder of the table above."""
    L = keras.layers
    inp = keras.Input(shape=(28, 28, 1))
    h = L.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inp)
    h = L.Conv2D(8, 3, strides=2, padding="same", activation="relu")(h)
    h = L.Conv2D(8, 3, strides=2, padding="same", activation="relu", name="code")(h)
    h = L.Conv2DTranspose(8, 3, strides=2, padding="same", output_padding=0, activation="relu")(h)
    h = L.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(h)
    h = L.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(h)
    rec = L.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    return keras.Model(inp, rec, name="strided_autoencoder")
''',
}

INDEPENDENT = {
    "lab01_to_vectors": '''def to_vectors(images):
    """Flatten (n, 28, 28[, 1]) images into a float32 array of shape (n, 784)."""
    flat = np.array(images, dtype=np.float32)
    return flat.reshape(flat.shape[0], 784)
''',
    "lab01_build_simple": '''def build_simple_autoencoder(code_size=32):
    """Return the uncompiled dense autoencoder 784 -> code_size (relu) -> 784 (sigmoid)."""
    image = keras.Input((784,), name="image")
    encode = keras.layers.Dense(units=code_size, activation="relu", name="code")
    decode = keras.layers.Dense(units=784, activation="sigmoid", name="reconstruction")
    return keras.Model(inputs=image, outputs=decode(encode(image)), name="simple_autoencoder")
''',
    "lab01_split": '''def split_autoencoder(autoencoder, code_layer="code"):
    """Return (encoder, decoder) models that share the layers of a sequential autoencoder."""
    names = [layer.name for layer in autoencoder.layers]
    position = names.index(code_layer)
    middle = autoencoder.layers[position]
    encoder = keras.Model(autoencoder.inputs, middle.output, name="encoder")
    latent = keras.Input(shape=tuple(middle.output.shape[1:]), name="code_input")
    tensor = latent
    for later in autoencoder.layers[position + 1 :]:
        tensor = later(tensor)
    return encoder, keras.Model(latent, tensor, name="decoder")
''',
    "lab01_metrics": '''def reconstruction_metrics(x, x_rec):
    """Return {"bce", "mse", "psnr"}: mean BCE and MSE per pixel, mean PSNR (dB) per image."""
    count = len(x)
    target = np.reshape(np.asarray(x, dtype="float64"), (count, -1))
    guess = np.reshape(np.asarray(x_rec, dtype="float64"), (count, -1))
    guess = np.minimum(np.maximum(guess, 1e-7), 1 - 1e-7)
    cross_entropy = -(target * np.log(guess) + (1 - target) * np.log(1 - guess))
    errors = ((target - guess) ** 2).mean(axis=1)
    psnrs = -10 * np.log10(np.maximum(errors, 1e-10))
    return {"bce": float(cross_entropy.mean()), "mse": float(errors.mean()), "psnr": float(psnrs.mean())}
''',
    "lab01_build_deep": '''def build_deep_autoencoder(sizes=(128, 64, 32)):
    """Return the uncompiled deep autoencoder 784 -> sizes -> reversed(sizes[:-1]) -> 784."""
    image = keras.Input((784,), name="image")
    *widths, narrowest = sizes
    tensor = image
    for width in widths:
        tensor = keras.layers.Dense(width, activation="relu", name=f"encoder_{width}")(tensor)
    tensor = keras.layers.Dense(narrowest, activation="relu", name="code")(tensor)
    for width in widths[::-1]:
        tensor = keras.layers.Dense(width, activation="relu", name=f"decoder_{width}")(tensor)
    output = keras.layers.Dense(784, activation="sigmoid", name="reconstruction")(tensor)
    return keras.Model(image, output, name="deep_autoencoder")
''',
    "lab02_to_channels": '''def to_channels(images):
    """Return greyscale images as a new float32 array of shape (n, 28, 28, 1)."""
    batch = np.array(images, dtype=np.float32)
    return batch.reshape((batch.shape[0], 28, 28, 1))
''',
    "lab02_output_size": '''def conv_output_size(n, kernel, stride=1, padding="valid"):
    """Output height (= width) of a Conv2D or MaxPooling2D layer on an n x n input."""
    if padding not in ("valid", "same"):
        raise ValueError(f"unknown padding {padding}")
    size = n if padding == "same" else n - kernel + 1
    return (size + stride - 1) // stride
''',
    "lab02_build_conv": '''def build_conv_autoencoder():
    """Return the uncompiled conv autoencoder of the summary above (4,385 parameters)."""
    image = keras.Input((28, 28, 1))
    tensor = image
    for filters in (16, 8):
        tensor = keras.layers.Conv2D(filters, (3, 3), padding="same", activation="relu")(tensor)
        tensor = keras.layers.MaxPooling2D((2, 2))(tensor)
    tensor = keras.layers.Conv2D(8, (3, 3), padding="same", activation="relu")(tensor)
    tensor = keras.layers.MaxPooling2D((2, 2), padding="same", name="code")(tensor)
    for filters, padding in ((8, "same"), (8, "same"), (16, "valid")):
        tensor = keras.layers.Conv2D(filters, (3, 3), padding=padding, activation="relu")(tensor)
        tensor = keras.layers.UpSampling2D((2, 2))(tensor)
    output = keras.layers.Conv2D(1, (3, 3), padding="same", activation="sigmoid")(tensor)
    return keras.Model(image, output, name="conv_autoencoder")
''',
    "lab02_ssim": '''def ssim_per_image(x, x_rec, window=7):
    """Return the mean SSIM over all window x window patches of each image, shape (n,), float64."""
    first = np.asarray(x, dtype=np.float64)
    first = first.reshape(first.shape[0], first.shape[1], first.shape[2])
    second = np.asarray(x_rec, dtype=np.float64).reshape(first.shape)

    def box(images):
        # window sums from an integral image
        total = np.pad(images.cumsum(axis=1).cumsum(axis=2), ((0, 0), (1, 0), (1, 0)))
        w = window
        return (total[:, w:, w:] - total[:, :-w, w:] - total[:, w:, :-w] + total[:, :-w, :-w]) / w**2

    mean_1, mean_2 = box(first), box(second)
    var_1 = box(first**2) - mean_1**2
    var_2 = box(second**2) - mean_2**2
    covariance = box(first * second) - mean_1 * mean_2
    top = (2 * mean_1 * mean_2 + 1e-4) * (2 * covariance + 9e-4)
    bottom = (mean_1**2 + mean_2**2 + 1e-4) * (var_1 + var_2 + 9e-4)
    return (top / bottom).mean(axis=(1, 2))
''',
    "lab02_build_strided": '''def build_strided_autoencoder():
    """Return the uncompiled strided-conv / transposed-conv autoencoder of the table above."""
    image = keras.Input((28, 28, 1))
    tensor = image
    for filters, name in ((16, None), (8, None), (8, "code")):
        tensor = keras.layers.Conv2D(
            filters, (3, 3), strides=(2, 2), padding="same", activation="relu", name=name
        )(tensor)
    for filters, extra in ((8, 0), (8, None), (16, None)):  # 4 -> 7 -> 14 -> 28
        tensor = keras.layers.Conv2DTranspose(
            filters, (3, 3), strides=(2, 2), padding="same", output_padding=extra, activation="relu"
        )(tensor)
    output = keras.layers.Conv2D(1, (3, 3), padding="same", activation="sigmoid")(tensor)
    return keras.Model(image, output, name="strided_autoencoder")
''',
}
LABS = ["01_dense_autoencoders", "02_conv_autoencoder"]


def answered(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The release with the answer cells of ``answers`` filled in."""
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb
