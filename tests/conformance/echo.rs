//! The conformance server's implementation: every operation answers with exactly the typed
//! values the generated router parsed, so the client can compare them with what it sent.

use conformance_server::models::{Echo, Form, Problem, ResponsesKind, Rgb, Upload};
use conformance_server::server::*;
use conformance_server::{Api, RequestContext};

pub struct EchoApi;

fn echo() -> Echo {
    Echo {
        prim: None,
        arr: None,
        obj: None,
        num: None,
        flag: None,
        pipes: None,
        json: None,
        obj_explode: None,
    }
}

fn path(prim: String, arr: Vec<String>, obj: Rgb) -> Echo {
    Echo {
        prim: Some(prim),
        arr: Some(arr),
        obj: Some(obj),
        ..echo()
    }
}

impl Api for EchoApi {
    async fn path_simple(
        &self,
        r: PathSimpleRequest,
        _context: RequestContext,
    ) -> PathSimpleResponse {
        PathSimpleResponse::Ok(path(r.prim, r.arr, r.obj))
    }

    async fn path_simple_explode(
        &self,
        r: PathSimpleExplodeRequest,
        _context: RequestContext,
    ) -> PathSimpleExplodeResponse {
        PathSimpleExplodeResponse::Ok(path(r.prim, r.arr, r.obj))
    }

    async fn path_label(&self, r: PathLabelRequest, _context: RequestContext) -> PathLabelResponse {
        PathLabelResponse::Ok(path(r.prim, r.arr, r.obj))
    }

    async fn path_label_explode(
        &self,
        r: PathLabelExplodeRequest,
        _context: RequestContext,
    ) -> PathLabelExplodeResponse {
        PathLabelExplodeResponse::Ok(path(r.prim, r.arr, r.obj))
    }

    async fn path_matrix(
        &self,
        r: PathMatrixRequest,
        _context: RequestContext,
    ) -> PathMatrixResponse {
        PathMatrixResponse::Ok(path(r.prim, r.arr, r.obj))
    }

    async fn path_matrix_explode(
        &self,
        r: PathMatrixExplodeRequest,
        _context: RequestContext,
    ) -> PathMatrixExplodeResponse {
        PathMatrixExplodeResponse::Ok(path(r.prim, r.arr, r.obj))
    }

    async fn query_form(&self, r: QueryFormRequest, _context: RequestContext) -> QueryFormResponse {
        QueryFormResponse::Ok(Echo {
            prim: r.prim,
            arr: r.arr,
            obj: r.obj,
            num: r.num,
            flag: r.flag,
            ..echo()
        })
    }

    async fn query_form_flat(
        &self,
        r: QueryFormFlatRequest,
        _context: RequestContext,
    ) -> QueryFormFlatResponse {
        QueryFormFlatResponse::Ok(Echo {
            prim: r.prim,
            arr: r.arr,
            obj: r.obj,
            ..echo()
        })
    }

    async fn query_delimited(
        &self,
        r: QueryDelimitedRequest,
        _context: RequestContext,
    ) -> QueryDelimitedResponse {
        QueryDelimitedResponse::Ok(Echo {
            arr: r.arr,
            pipes: r.pipes,
            obj: r.obj,
            json: r.json,
            ..echo()
        })
    }

    async fn headers(&self, r: HeadersRequest, _context: RequestContext) -> HeadersResponse {
        HeadersResponse::Ok(Echo {
            prim: r.x_prim,
            arr: r.x_arr,
            obj: r.x_obj,
            obj_explode: r.x_obj_explode,
            ..echo()
        })
    }

    async fn cookies(&self, r: CookiesRequest, _context: RequestContext) -> CookiesResponse {
        CookiesResponse::Ok(Echo {
            prim: r.prim,
            arr: r.arr,
            obj: r.obj,
            ..echo()
        })
    }

    async fn body_json(&self, r: BodyJsonRequest, _context: RequestContext) -> BodyJsonResponse {
        BodyJsonResponse::Ok(r.body)
    }

    async fn body_form(&self, r: BodyFormRequest, _context: RequestContext) -> BodyFormResponse {
        BodyFormResponse::Ok(Form {
            name: r.body.name,
            count: r.body.count,
            tags: r.body.tags,
            color: r.body.color,
        })
    }

    async fn body_multipart(
        &self,
        r: BodyMultipartRequest,
        _context: RequestContext,
    ) -> BodyMultipartResponse {
        // The file arrives after the typed fields, chunk by chunk.
        let mut body = r.body;
        let (mut size, mut first) = (0usize, -1);
        while let Some(Ok(mut file)) = body.files.next_file().await {
            while let Some(Ok(chunk)) = file.chunk().await {
                if size == 0 {
                    first = chunk.first().map_or(-1, |b| i64::from(*b));
                }
                size += chunk.len();
            }
        }
        BodyMultipartResponse::Ok(Upload {
            size: i64::try_from(size).unwrap_or(i64::MAX),
            first,
            meta: body.meta,
            tags: body.tags,
            note: body.note,
        })
    }

    async fn body_text(&self, r: BodyTextRequest, _context: RequestContext) -> BodyTextResponse {
        BodyTextResponse::Ok(r.body)
    }

    async fn body_binary(
        &self,
        r: BodyBinaryRequest,
        _context: RequestContext,
    ) -> BodyBinaryResponse {
        BodyBinaryResponse::Ok(r.body.into())
    }

    async fn responses(&self, r: ResponsesRequest, _context: RequestContext) -> ResponsesResponse {
        let rgb = Rgb { r: 1, g: 2, b: 3 };
        let problem = |status: u16| Problem {
            title: format!("status {status}"),
            status: i64::from(status),
        };
        match r.kind {
            ResponsesKind::Ok => ResponsesResponse::Ok(rgb),
            ResponsesKind::Created => ResponsesResponse::Created {
                body: rgb,
                location: "/base/things/1".to_string(),
                x_count: Some(7),
            },
            ResponsesKind::Empty => ResponsesResponse::NoContent,
            ResponsesKind::Accepted => ResponsesResponse::Status2xx {
                status: reqwest::StatusCode::ACCEPTED,
                body: "accepted ✓".to_string(),
            },
            ResponsesKind::Missing => ResponsesResponse::NotFound(problem(404)),
            ResponsesKind::Teapot => ResponsesResponse::Default {
                status: reqwest::StatusCode::IM_A_TEAPOT,
                body: problem(418),
            },
        }
    }
}
