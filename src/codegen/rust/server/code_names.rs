//! What the code of the server view names (`Bytes`, `StatusCode`, `models::`, `BTreeMap<`), read
//! off the strings of its JSON form (keys and values) without its doc comments (`*doc_attrs`):
//! a description saying `fileSizeInBytes` must not import `Bytes` (an unused import, which
//! `-D warnings` refuses). The view is walked by a serde serializer that looks at each string as
//! it goes: building the JSON form and its text first held about 370 MB at once on Microsoft
//! Graph, near the peak of the run.

use serde::Serialize;
use serde::ser::{self, Impossible};

/// The names the imports of `server.rs` depend on.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct CodeNames {
    /// `Bytes` as a whole identifier.
    pub bytes: bool,
    /// `StatusCode` as a whole identifier.
    pub status_code: bool,
    /// `models::` anywhere.
    pub models: bool,
    /// `BTreeMap<` anywhere.
    pub btree_map: bool,
}

impl CodeNames {
    /// The names the code of `view` uses.
    pub(super) fn of<T: Serialize + ?Sized>(view: &T) -> CodeNames {
        let mut walker = Walker::default();
        // The walker never fails; a view that cannot be serialized names nothing more.
        let _ = view.serialize(&mut walker);
        walker.names
    }

    /// Looks at one string of the JSON form. Identifiers are judged on its JSON text, where
    /// `\n` is written `\n` (so that `"\nBytes"` is not `Bytes` there either).
    fn text(&mut self, text: &str) {
        if text.contains("Bytes") || text.contains("StatusCode") {
            let escaped = serde_json::to_string(text).unwrap_or_default();
            self.bytes |= super::names_ident(&escaped, "Bytes");
            self.status_code |= super::names_ident(&escaped, "StatusCode");
        }
        self.models |= text.contains("models::");
        self.btree_map |= text.contains("BTreeMap<");
    }
}

/// Whether a key's value is a doc comment, left out.
fn is_doc(key: &str) -> bool {
    key.ends_with("doc_attrs")
}

#[derive(Default)]
struct Walker {
    names: CodeNames,
    /// The value of the map entry whose key was just seen is skipped.
    skip_value: bool,
}

type Error = serde_json::Error;

impl ser::Serializer for &mut Walker {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_char(self, c: char) -> Result<(), Error> {
        self.names.text(c.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, text: &str) -> Result<(), Error> {
        self.names.text(text);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.names.text(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut walker = self;
        ser::SerializeStruct::serialize_field(&mut walker, variant, value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.names.text(variant);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.names.text(variant);
        Ok(self)
    }
}

/// The compound values whose elements are walked as they are: sequences and tuples.
macro_rules! walk_elements {
    ($($kind:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$kind for &mut Walker {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                Ok(())
            }
        }
    )*};
}

walk_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for &mut Walker {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(KeyText)?;
        self.skip_value = key.as_deref().is_some_and(is_doc);
        if !self.skip_value
            && let Some(key) = key
        {
            self.names.text(&key);
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if std::mem::take(&mut self.skip_value) {
            return Ok(());
        }
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Walker {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if is_doc(key) {
            return Ok(());
        }
        self.names.text(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Walker {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// A map key as the text JSON gives it: strings and chars as they are, numbers and booleans
/// (which name nothing) as `None`.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = Option<String>;
    type Error = Error;
    type SerializeSeq = Impossible<Option<String>, Error>;
    type SerializeTuple = Impossible<Option<String>, Error>;
    type SerializeTupleStruct = Impossible<Option<String>, Error>;
    type SerializeTupleVariant = Impossible<Option<String>, Error>;
    type SerializeMap = Impossible<Option<String>, Error>;
    type SerializeStruct = Impossible<Option<String>, Error>;
    type SerializeStructVariant = Impossible<Option<String>, Error>;

    fn serialize_bool(self, _: bool) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_i8(self, _: i8) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_i16(self, _: i16) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_i32(self, _: i32) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_i64(self, _: i64) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_u8(self, _: u8) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_u16(self, _: u16) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_u32(self, _: u32) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_u64(self, _: u64) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_f32(self, _: f32) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_f64(self, _: f64) -> Result<Option<String>, Error> {
        Ok(None)
    }
    fn serialize_char(self, c: char) -> Result<Option<String>, Error> {
        Ok(Some(c.to_string()))
    }
    fn serialize_str(self, text: &str) -> Result<Option<String>, Error> {
        Ok(Some(text.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Option<String>, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_none(self) -> Result<Option<String>, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, key: &T) -> Result<Option<String>, Error> {
        key.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>, Error> {
        Ok(Some(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        key: &T,
    ) -> Result<Option<String>, Error> {
        key.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("a key that is not a string"))
    }
}

#[cfg(test)]
mod tests {
    use super::CodeNames;

    /// The names are those of the view's JSON text without its doc comments, as when that
    /// text was built and searched.
    #[test]
    fn names_are_read_off_the_strings_outside_docs() {
        let names = |value: serde_json::Value| CodeNames::of(&value);
        let view = serde_json::json!({
            "doc_attrs": ["Bytes StatusCode models:: BTreeMap<"],
            "variant_doc_attrs": {"x": "Bytes"},
            "ty": "Option<Bytes>",
            "lines": ["fileSizeInBytes", "\nStatusCode", {"nested": "models::Pet"}],
        });
        assert_eq!(
            names(view),
            CodeNames {
                bytes: true,
                status_code: false,
                models: true,
                btree_map: false,
            }
        );
        let view = serde_json::json!({"a": [1, true, null, " StatusCode(x)"], "BTreeMap<": 0});
        assert_eq!(
            names(view),
            CodeNames {
                bytes: false,
                status_code: true,
                models: false,
                btree_map: true,
            }
        );
        assert_eq!(
            names(serde_json::json!({"doc_attrs": "Bytes", "x": "Bytes2 fileSizeInBytes"})),
            CodeNames::default()
        );
    }
}
