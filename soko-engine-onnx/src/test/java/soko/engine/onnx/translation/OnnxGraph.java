package soko.engine.onnx.translation;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A small builder of ONNX graphs for test models: one method per operator used, unique value names. */
final class OnnxGraph {
  final GraphProto.Builder graph;
  private final AtomicInteger counter;
  private final String prefix;

  OnnxGraph(String name, AtomicInteger counter) {
    this.graph = GraphProto.newBuilder().setName(name);
    this.counter = counter;
    this.prefix = name + "_";
  }

  String fresh(String hint) {
    return prefix + hint + "_" + counter.incrementAndGet();
  }

  static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto intsAttr(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  static AttributeProto graphAttr(String name, GraphProto g) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
  }

  /** Adds a node with one output and returns that output's name. */
  String op(String type, List<String> inputs, AttributeProto... attrs) {
    String out = fresh(type.toLowerCase());
    opInto(type, inputs, List.of(out), attrs);
    return out;
  }

  void opInto(String type, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(fresh("n_" + type));
    n.addAllInput(inputs).addAllOutput(outputs);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n);
  }

  String floats(String hint, float[] data, long... dims) {
    String name = fresh(hint);
    ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A 1-D int64 constant. */
  String longs(long... values) {
    String name = fresh("c");
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A 0-d int64 constant. */
  String scalarLong(long value) {
    String name = fresh("s");
    graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addInt64Data(value));
    return name;
  }

  /** A 0-d float constant. */
  String scalarFloat(float value) {
    String name = fresh("f");
    graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addFloatData(value));
    return name;
  }

  /** Dimension names are symbolic; numbers are fixed; null dims mean "rank only". */
  static ValueInfoProto value(String name, int elemType, Object... dims) {
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elemType);
    if (dims.length > 0) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (Object d : dims) {
        s.addDim(d instanceof String n
            ? TensorShapeProto.Dimension.newBuilder().setDimParam(n)
            : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
      }
      t.setShape(s);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
  }

  /** The dimension {@code index} of {@code x} as a 0-d int64. */
  String dim(String x, int index) {
    return op("Gather", List.of(op("Shape", List.of(x)), scalarLong(index)), intAttr("axis", 0));
  }
}
