package dev.noriwal.journal;

import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;

/**
 * NaN and the infinities, which JSON numbers cannot hold, as the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"} (the agent's codec writes the same); every other value as a
 * JSON number. JSON-B refuses them otherwise. Stateless.
 */
final class SpecialDoubles {
  private SpecialDoubles() {}

  private static void write(double d, JsonGenerator out) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.write(Double.toString(d));
    } else {
      out.write(d);
    }
  }

  private static double read(JsonParser in) {
    return switch (in.currentEvent()) {
      case VALUE_STRING -> Double.parseDouble(in.getString());
      case VALUE_NUMBER -> in.getBigDecimal().doubleValue();
      default -> throw new IllegalArgumentException("not a number: " + in.currentEvent());
    };
  }

  static final class DoubleWriter implements JsonbSerializer<Double> {
    @Override
    public void serialize(Double d, JsonGenerator out, SerializationContext ctx) {
      write(d, out);
    }
  }

  static final class FloatWriter implements JsonbSerializer<Float> {
    @Override
    public void serialize(Float f, JsonGenerator out, SerializationContext ctx) {
      if (Float.isNaN(f) || Float.isInfinite(f)) {
        out.write(Float.toString(f));
      } else {
        out.write(new java.math.BigDecimal(Float.toString(f)));
      }
    }
  }

  static final class DoubleReader implements JsonbDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser in, DeserializationContext ctx, Type rtType) {
      return read(in);
    }
  }

  static final class FloatReader implements JsonbDeserializer<Float> {
    @Override
    public Float deserialize(JsonParser in, DeserializationContext ctx, Type rtType) {
      return in.currentEvent() == JsonParser.Event.VALUE_STRING
          ? Float.parseFloat(in.getString())
          : in.getBigDecimal().floatValue();
    }
  }
}
