/**
 * Neural-network building blocks on ND4J: {@link org.streamingmlp.nn.Linear}, {@link org.streamingmlp.nn.LayerNorm},
 * {@link org.streamingmlp.nn.BatchNorm1d}, {@link org.streamingmlp.nn.Dropout},
 * {@link org.streamingmlp.nn.ActivationLayer}, {@link org.streamingmlp.nn.CategoricalEmbeddings}, the losses
 * ({@link org.streamingmlp.nn.Loss} and its implementations) and the {@link org.streamingmlp.nn.Mlp} that chains
 * them. Each backward pass sits beside its forward pass; shapes and parameter names follow PyTorch.
 *
 * <p>Storage: all parameters of a model live in one flat buffer ({@link org.streamingmlp.nn.Parameters}) with one
 * view per named parameter, gradients in a second buffer of the same layout. Matrix products are ND4J gemm calls
 * into reused arrays; element-wise work is plain Java over direct NIO views ({@link org.streamingmlp.nn.NumericBuffer}),
 * so a training step costs a handful of native calls whatever the layer count. float32 and float64 share the code.
 *
 * <p>Imports ND4J only: no Quarkus, Kafka, SmallRye or Jakarta (checked by {@code PackageDependencyTest}).
 */
package org.streamingmlp.nn;
