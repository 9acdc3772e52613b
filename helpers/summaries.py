"""The model summaries the labs give as tasks, as data for ``checks.check_summary``.

Each table is printed in its lab; here it is the same table with a hint per row for the usual
mistake. Tables only: the models themselves are the students' work.
"""

from __future__ import annotations

from helpers.checks import Row, Summary

# Lab 01, task B1
LAB01_SIMPLE = Summary(
    "simple_autoencoder",
    (
        Row("InputLayer", (784,), 0),
        Row("Dense", (32,), 25_120, "Is the code layer Dense(32) on the 784-vector input?", "relu", "code"),
        Row("Dense", (784,), 25_872, "The decoder maps the 32 code values back to 784 pixels.", "sigmoid", "reconstruction"),
    ),
)  # fmt: skip

# Lab 01, task E1 (default sizes)
LAB01_DEEP = Summary(
    "deep_autoencoder",
    (
        Row("InputLayer", (784,), 0),
        Row("Dense", (128,), 100_480, activation="relu"),
        Row("Dense", (64,), 8_256, activation="relu"),
        Row("Dense", (32,), 2_080, "This is the code layer: Dense(32), named 'code'.", "relu", "code"),
        Row("Dense", (64,), 2_112, "The decoder mirrors the encoder: 32 -> 64.", "relu"),
        Row("Dense", (128,), 8_320, activation="relu"),
        Row("Dense", (784,), 101_136, "The output layer: Dense(784), sigmoid.", "sigmoid", "reconstruction"),
    ),
)  # fmt: skip

# Lab 02, task B2
_POOL = (
    "MaxPooling2D(2) halves the size; where 7 becomes 4, check the padding with conv_output_size."
)
_UP = "UpSampling2D(2) doubles the size."
LAB02_CONV = Summary(
    "conv_autoencoder",
    (
        Row("InputLayer", (28, 28, 1), 0, "The input is a (28, 28, 1) image: keras.Input(shape=(28, 28, 1))."),
        Row("Conv2D", (28, 28, 16), 160, "16 filters of 3x3 on 1 channel: 16*(9*1)+16 = 160; padding='same' keeps 28x28.", "relu"),
        Row("MaxPooling2D", (14, 14, 16), 0, _POOL),
        Row("Conv2D", (14, 14, 8), 1_160, "8 filters of 3x3 on 16 channels: 8*(9*16)+8 = 1,160.", "relu"),
        Row("MaxPooling2D", (7, 7, 8), 0, _POOL),
        Row("Conv2D", (7, 7, 8), 584, "8 filters of 3x3 on 8 channels: 8*(9*8)+8 = 584.", "relu"),
        Row("MaxPooling2D", (4, 4, 8), 0, _POOL + " Name this layer 'code'.", name="code"),
        Row("Conv2D", (4, 4, 8), 584, "The decoder starts with Conv2D(8, 3) on the 4x4x8 code.", "relu"),
        Row("UpSampling2D", (8, 8, 8), 0, _UP),
        Row("Conv2D", (8, 8, 8), 584, activation="relu"),
        Row("UpSampling2D", (16, 16, 8), 0, _UP),
        Row("Conv2D", (14, 14, 16), 1_168, "16 -> 14 with a 3x3 kernel: check this layer's padding with conv_output_size.", "relu"),
        Row("UpSampling2D", (28, 28, 16), 0, _UP),
        Row("Conv2D", (28, 28, 1), 145, "The output layer: 1 filter, 3x3, sigmoid, and 28 -> 28.", "sigmoid"),
    ),
)  # fmt: skip

# Lab 02, task E1
_T = "A transposed conv with stride 2 and padding='same' doubles the size; for 4 -> 7 see the output_padding rule."
LAB02_STRIDED = Summary(
    "strided_autoencoder",
    (
        Row("InputLayer", (28, 28, 1), 0),
        Row("Conv2D", (14, 14, 16), 160, "16 filters, stride 2: which padding gives ceil(28 / 2) = 14?", "relu"),
        Row("Conv2D", (7, 7, 8), 1_160, "8 filters of 3x3 on 16 channels, stride 2: 14 -> 7.", "relu"),
        Row("Conv2D", (4, 4, 8), 584, "7 -> 4 with stride 2 needs ceil(7 / 2). Name this layer 'code'.", "relu", "code"),
        Row("Conv2DTranspose", (7, 7, 8), 584, _T, "relu"),
        Row("Conv2DTranspose", (14, 14, 8), 584, _T, "relu"),
        Row("Conv2DTranspose", (28, 28, 16), 1_168, _T, "relu"),
        Row("Conv2D", (28, 28, 1), 145, "The output layer: 1 filter, 3x3, stride 1, sigmoid, 28 -> 28.", "sigmoid"),
    ),
)  # fmt: skip

# Lab 03, task C1 (shape (28, 28, 1))
_SKIP = "Concatenate([decoder output, encoder map of the same size]): the skip connection."
LAB03_RESTORER = Summary(
    "restorer",
    (
        Row("InputLayer", (28, 28, 1), 0, name="image"),
        Row("Conv2D", (28, 28, 16), 160, "16 filters, 3x3, padding='same', named 'full'.", "relu", "full"),
        Row("Conv2D", (14, 14, 32), 4_640, "32 filters, stride 2, padding='same': 28 -> 14; named 'half'.", "relu", "half"),
        Row("Conv2D", (7, 7, 64), 18_496, "64 filters, stride 2: 14 -> 7.", "relu"),
        Row("Conv2D", (7, 7, 64), 36_928, "64 filters, stride 1, at 7x7.", "relu"),
        Row("Conv2DTranspose", (14, 14, 32), 18_464, "32 filters, stride 2, padding='same': 7 -> 14.", "relu"),
        Row("Concatenate", (14, 14, 64), 0, _SKIP + " Here with 'half'."),
        Row("Conv2DTranspose", (28, 28, 16), 9_232, "16 filters, stride 2 on the 64 concatenated channels: 64*9*16+16.", "relu"),
        Row("Concatenate", (28, 28, 32), 0, _SKIP + " Here with 'full'."),
        Row("Conv2D", (28, 28, 1), 289, "As many filters as the input has channels, 3x3, sigmoid; named 'restored'.", "sigmoid", "restored"),
    ),
)  # fmt: skip

# Lab 04, tasks A2 and A3 (latent size 2, shape (28, 28, 1))
_LATENT = "A Dense layer without activation, one unit per latent dimension, on the 16 features."
LAB04_ENCODER = Summary(
    "encoder",
    (
        Row("InputLayer", (28, 28, 1), 0),
        Row("Conv2D", (14, 14, 16), 160, "16 filters of 3x3, stride 2, padding='same': 28 -> 14.", "relu"),
        Row("Conv2D", (7, 7, 32), 4_640, "32 filters of 3x3 on 16 channels, stride 2: 32*(9*16)+32 = 4,640.", "relu"),
        Row("Flatten", (1_568,), 0, "Flatten the 7x7x32 maps into 1,568 numbers."),
        Row("Dense", (16,), 25_104, "Dense(16) on the 1,568 numbers: 1,568*16+16.", "relu"),
        Row("Dense", (2,), 34, _LATENT, "linear", "z_mean"),
        Row("Dense", (2,), 34, _LATENT, "linear", "z_log_var"),
        Row("Sampling", (2,), 0, "Your Sampling layer on [z_mean, z_log_var], named 'z'.", name="z"),
    ),
)  # fmt: skip

_UP2 = "Conv2DTranspose, 3x3, stride 2, padding='same' doubles the size."
LAB04_DECODER = Summary(
    "decoder",
    (
        Row("InputLayer", (2,), 0, "The input is a code: keras.Input(shape=(latent_dim,))."),
        Row("Dense", (1_568,), 4_704, "Dense(7*7*32) on the 2 code values: 2*1,568+1,568.", "relu"),
        Row("Reshape", (7, 7, 32), 0, "Reshape the 1,568 numbers into 7x7x32 maps."),
        Row("Conv2DTranspose", (14, 14, 32), 9_248, _UP2 + " 32 filters.", "relu"),
        Row("Conv2DTranspose", (28, 28, 16), 4_624, _UP2 + " 16 filters.", "relu"),
        Row("Conv2DTranspose", (28, 28, 1), 145, "The output: one filter per channel, 3x3, stride 1, sigmoid.", "sigmoid"),
    ),
)  # fmt: skip

# Lab 05, task B1 (latent size 256, shape (64, 64, 3)): conv blocks without bias, BatchNorm adds it
_BLOCK = "Conv2D 3x3, padding='same', use_bias=False: {} parameters = {} in x 9 x {} out."
LAB05_ENCODER = Summary(
    "encoder",
    (
        Row("InputLayer", (64, 64, 3), 0),
        Row("Conv2D", (64, 64, 16), 432, _BLOCK.format(432, 3, 16)),
        Row("BatchNormalization", (64, 64, 16), 64, "BatchNormalization: 4 numbers per channel."),
        Row("ReLU", (64, 64, 16), 0),
        Row("MaxPooling2D", (32, 32, 16), 0, "MaxPooling2D(2) halves height and width."),
        Row("Conv2D", (32, 32, 32), 4_608, _BLOCK.format("4,608", 16, 32)),
        Row("BatchNormalization", (32, 32, 32), 128),
        Row("ReLU", (32, 32, 32), 0),
        Row("MaxPooling2D", (16, 16, 32), 0),
        Row("Conv2D", (16, 16, 64), 18_432, _BLOCK.format("18,432", 32, 64)),
        Row("BatchNormalization", (16, 16, 64), 256),
        Row("ReLU", (16, 16, 64), 0),
        Row("MaxPooling2D", (8, 8, 64), 0),
        Row("Flatten", (4_096,), 0),
        Row("Dense", (256,), 1_048_832, "The code: Dense(latent_dim) without activation, named 'code'.", "linear", "code"),
    ),
)  # fmt: skip

LAB05_DECODER = Summary(
    "decoder",
    (
        Row("InputLayer", (256,), 0, "The input is a code: keras.Input((latent_dim,))."),
        Row("Dense", (4_096,), 1_052_672, "Dense(8 * 8 * 64), relu, on the 256 code values.", "relu"),
        Row("Reshape", (8, 8, 64), 0),
        Row("UpSampling2D", (16, 16, 64), 0, "Each decoder block starts with UpSampling2D(2)."),
        Row("Conv2D", (16, 16, 64), 36_864, _BLOCK.format("36,864", 64, 64)),
        Row("BatchNormalization", (16, 16, 64), 256),
        Row("ReLU", (16, 16, 64), 0),
        Row("UpSampling2D", (32, 32, 64), 0),
        Row("Conv2D", (32, 32, 32), 18_432, _BLOCK.format("18,432", 64, 32)),
        Row("BatchNormalization", (32, 32, 32), 128),
        Row("ReLU", (32, 32, 32), 0),
        Row("UpSampling2D", (64, 64, 32), 0),
        Row("Conv2D", (64, 64, 16), 4_608, _BLOCK.format("4,608", 32, 16)),
        Row("BatchNormalization", (64, 64, 16), 64),
        Row("ReLU", (64, 64, 16), 0),
        Row("Conv2D", (64, 64, 3), 435, "The output: 3 filters 3x3 with bias, sigmoid.", "sigmoid"),
    ),
)  # fmt: skip
