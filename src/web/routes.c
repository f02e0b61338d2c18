/*
 * routes.c — the route table: every URL motcua answers, who may call it,
 * how its body is read and how large it may be.  Roles are checked here
 * and only here (web_before reads .roles); tests walk this table to build
 * the role matrix.
 */
#include "app/online.h"
#include "core/roles.h"
#include "web/web.h"
#include "web/news.h"
#include "web/desk.h"
#include "web/cases_web.h"

#define PUB ROLE_PUBLIC
#define ADM ROLE_ADMIN
#define STAFF ROLE_STAFF
#define FORM ROUTE_BODY_FORM
#define JSON ROUTE_BODY_JSON
#define API ROUTE_API      /* JSON errors, Bearer sessions */
#define DESK (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER)
#define CASES (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER | ROLE_VIEWER) /* staff who read cases: not the admin */
#define CIT ROLE_CITIZEN   /* a citizen session (cookie motcua_citizen), never a staff one */

const struct http_route web_routes[] = {
	/* method  pattern                                handler              roles  flags  max_body */
	{"GET",  "/",                                     page_home,           PUB,   0,    0},
	{"GET",  "/healthz",                              page_healthz,        PUB,   0,    0},
	{"GET",  "/metrics",                              page_metrics,        ADM,   ROUTE_METRICS_TOKEN, 0},
	{"GET",  "/static/{file}",                        page_static,         PUB,   0,    0},
	{"GET",  "/dang-nhap",                            page_login,          PUB,   0,    0},
	{"POST", "/dang-nhap",                            page_login_post,     PUB,   FORM, 16384},
	{"POST", "/dang-xuat",                            page_logout,         STAFF, FORM, 16384},
	{"GET",  "/quan-tri/tai-khoan",                   admin_users,         ADM,   0,    0},
	{"GET",  "/quan-tri/tai-khoan/moi",               admin_user_new,      ADM,   0,    0},
	{"POST", "/quan-tri/tai-khoan/moi",               admin_user_create,   ADM,   FORM, 65536},
	{"GET",  "/quan-tri/tai-khoan/{id}",              admin_user,          ADM,   0,    0},
	{"POST", "/quan-tri/tai-khoan/{id}",              admin_user_update,   ADM,   FORM, 65536},
	{"POST", "/quan-tri/tai-khoan/{id}/khoa",         admin_user_active,   ADM,   FORM, 16384},
	{"POST", "/quan-tri/tai-khoan/{id}/mat-khau",     admin_user_password, ADM,   FORM, 16384},
	{"GET",  "/lich",                                 page_calendar,       PUB,   0,    0},
	{"GET",  "/quan-tri/lich",                        admin_calendar,      ADM,   0,    0},
	{"POST", "/quan-tri/lich/ngay",                   admin_calendar_set,  ADM,   FORM, 16384},
	{"POST", "/quan-tri/lich/xoa",                    admin_calendar_delete, ADM, FORM, 16384},
	{"POST", "/quan-tri/lich/nam",                    admin_calendar_complete, ADM, FORM, 16384},
	{"POST", "/quan-tri/lich/nhap",                   admin_calendar_import, ADM,  FORM, 1024 * 1024},
	{"POST", "/quan-tri/lich/gio-lam-viec",           admin_calendar_hours, ADM,  FORM, 16384},
	{"GET",  "/bao-cao",                              page_report,         ADM | ROLE_VIEWER | ROLE_LEADER, 0, 0},
	{"GET",  "/kiem-tra",                             page_integrity,      ADM | ROLE_VIEWER | ROLE_LEADER, 0, 0},
	{"GET",  "/quan-tri/co-quan",                     admin_contact,       ADM,   0,    0},
	{"POST", "/quan-tri/co-quan",                     admin_contact_set,   ADM,   FORM, 16384},
	{"GET",  "/quan-tri/thong-bao",                   admin_notify_log,    ADM,   0,    0},
	{"GET",  "/quan-tri/thong-bao/mau",               admin_notify_templates, ADM, 0,   0},
	{"GET",  "/quan-tri/thong-bao/mau/{key}/{channel}", admin_notify_template, ADM, 0,  0},
	{"POST", "/quan-tri/thong-bao/mau/{key}/{channel}", admin_notify_template_set, ADM, FORM, 65536},
	{"GET",  "/quan-tri/sao-luu",                     admin_backup,        ADM,   0,    0},
	{"POST", "/quan-tri/sao-luu",                     admin_backup_create, ADM,   FORM, 16384},
	{"GET",  "/quan-tri/sao-luu/{file}",              admin_backup_download, ADM, 0,    0},
	{"GET",  "/thu-tuc",                              page_catalog,        PUB,   0,    0},
	{"GET",  "/thu-tuc/{code}",                       page_procedure,      PUB,   0,    0},
	{"GET",  "/quan-tri/thu-tuc",                     admin_catalog,       ADM,   0,    0},
	{"GET",  "/quan-tri/thu-tuc/moi",                 admin_procedure_new, ADM,   0,    0},
	{"POST", "/quan-tri/thu-tuc/moi",                 admin_procedure_create, ADM, FORM, 262144},
	{"GET",  "/quan-tri/thu-tuc/xuat",                admin_catalog_export, ADM,  0,    0},
	{"POST", "/quan-tri/thu-tuc/nhap",                admin_catalog_import, ADM,  FORM, 16 * 1024 * 1024},
	{"GET",  "/quan-tri/thu-tuc/{code}",              admin_procedure,     ADM,   0,    0},
	{"POST", "/quan-tri/thu-tuc/{code}",              admin_procedure_update, ADM, FORM, 262144},
	{"POST", "/quan-tri/thu-tuc/{code}/trang-thai",   admin_procedure_status, ADM, FORM, 16384},
	{"GET",  "/tin-tuc",                              page_news_list,      PUB,   0,    0},
	{"GET",  "/tin-tuc/atom.xml",                     page_news_atom,      PUB,   0,    0},
	{"GET",  "/tin-tuc/{slug}",                       page_news_article,   PUB,   0,    0},
	{"GET",  "/anh/{file}",                           page_image,          PUB,   0,    0},
	{"GET",  "/quan-tri/tin-tuc",                     admin_news,          ADM | ROLE_LEADER, 0, 0},
	{"GET",  "/quan-tri/tin-tuc/moi",                 admin_news_new,      ADM | ROLE_LEADER, 0, 0},
	{"POST", "/quan-tri/tin-tuc/moi",                 admin_news_create,   ADM | ROLE_LEADER, FORM, 512 * 1024},
	{"GET",  "/quan-tri/tin-tuc/anh",                 admin_news_image_form, ADM | ROLE_LEADER, 0, 0},
	{"POST", "/quan-tri/tin-tuc/anh",                 admin_news_image,    ADM | ROLE_LEADER, FORM, 6 * 1024 * 1024},
	{"GET",  "/quan-tri/tin-tuc/{id}",                admin_news_edit,     ADM | ROLE_LEADER, 0, 0},
	{"POST", "/quan-tri/tin-tuc/{id}",                admin_news_update,   ADM | ROLE_LEADER, FORM, 512 * 1024},
	{"POST", "/quan-tri/tin-tuc/{id}/trang-thai",     admin_news_status,   ADM | ROLE_LEADER, FORM, 16384},
	{"GET",  "/tra-cuu",                              page_lookup,         PUB,   0,    0},
	{"POST", "/tra-cuu",                              page_lookup_post,    PUB,   FORM, 16384},
	{"POST", "/tra-cuu/danh-gia",                     page_rate,           PUB,   FORM, 16384},
	{"GET",  "/cong-dan/dang-nhap",                   citizen_signin,      PUB,   0,    0},
	{"POST", "/cong-dan/ma",                          citizen_code_post,   PUB,   FORM, 16384},
	{"POST", "/cong-dan/dang-nhap",                   citizen_signin_post, PUB,   FORM, 16384},
	{"POST", "/cong-dan/dang-xuat",                   citizen_signout,     CIT,   FORM, 16384},
	{"GET",  "/cong-dan/nop",                         citizen_procedures,  PUB,   0,    0},
	{"GET",  "/cong-dan/nop/{code}",                  citizen_submit_form, CIT,   0,    0},
	{"POST", "/cong-dan/nop/{code}",                  citizen_submit,      CIT,   FORM, APP_ONLINE_BODY},
	{"GET",  "/cong-dan/ho-so",                       citizen_dossiers,    CIT,   0,    0},
	{"GET",  "/cong-dan/ho-so/{code}",                citizen_dossier,     CIT,   0,    0},
	{"GET",  "/cong-dan/ho-so/{code}/tep/{sha}",      citizen_attachment,  CIT,   0,    0},
	{"GET",  "/cong-dan/ho-so/{code}/ket-qua",        citizen_result,      CIT,   0,    0},
	{"POST", "/cong-dan/ho-so/{code}/bo-sung",        citizen_supplement,  CIT,   FORM, 11 * 1024 * 1024},
	{"POST", "/cong-dan/ho-so/{code}/rut",            citizen_withdraw,    CIT,   FORM, 16384},
	{"POST", "/tra-cuu/ket-qua",                      page_lookup_result,  PUB,   FORM, 16384},
	{"GET",  "/mot-cua",                              desk_home,           STAFF, 0,    0},
	{"GET",  "/mot-cua/tiep-nhan",                    desk_intake,         ROLE_CLERK, 0, 0},
	{"POST", "/mot-cua/tiep-nhan",                    desk_intake_post,    ROLE_CLERK, FORM, 262144},
	{"GET",  "/mot-cua/so-theo-doi",                  desk_register,       STAFF, 0,    0},
	{"GET",  "/mot-cua/ho-so/{code}",                 desk_dossier,        STAFF, 0,    0},
	{"POST", "/mot-cua/ho-so/{code}/thao-tac",        desk_action,         DESK,  FORM, 65536},
	{"POST", "/mot-cua/phe-duyet",                   desk_bulk_approve,   ROLE_LEADER, FORM, 65536},
	{"POST", "/mot-cua/ho-so/{code}/dinh-kem",        desk_attach,         DESK,  FORM, 11 * 1024 * 1024},
	{"GET",  "/mot-cua/ho-so/{code}/dinh-kem/{sha}",  desk_attachment,     STAFF, 0,    0},
	{"POST", "/mot-cua/ho-so/{code}/le-phi",          desk_pay,            ROLE_CLERK, FORM, 16384},
	{"POST", "/mot-cua/ho-so/{code}/moi-danh-gia",    desk_kiosk_invite,   ROLE_CLERK, FORM, 16384},
	{"GET",  "/mot-cua/quay-danh-gia",                desk_kiosk,          ROLE_CLERK, 0,  0},
	{"POST", "/mot-cua/quay-danh-gia",                desk_kiosk_rate,     ROLE_CLERK, FORM, 16384},
	{"GET",  "/mot-cua/y-kien-danh-gia",              desk_rating_comments, ADM | ROLE_LEADER | ROLE_VIEWER, 0, 0},
	{"GET",  "/mot-cua/ho-so/{code}/in/{form}",       desk_print,          STAFF, 0,    0},
	/* cases: staff */
	{"GET",  "/don-thu",                              cases_home,          CASES, 0,    0},
	{"GET",  "/don-thu/tiep-nhan",                    cases_intake,        DESK,  0,    0},
	{"POST", "/don-thu/tiep-nhan",                    cases_intake_post,   DESK,  FORM, 31 * 1024 * 1024},
	{"GET",  "/don-thu/{code}",                       cases_case,          CASES, 0,    0},
	{"POST", "/don-thu/{code}/thao-tac",              cases_act,           DESK,  FORM, 65536},
	{"POST", "/don-thu/{code}/dinh-kem",              cases_attach,        DESK,  FORM, 11 * 1024 * 1024},
	{"GET",  "/don-thu/{code}/tep/{sha}",             cases_file,          CASES, 0,    0},
	{"GET",  "/don-thu/{code}/in/{doc}",              cases_print,         CASES, 0,    0},
	{"POST", "/api/v1/dossiers",                      api_dossier_create,  ROLE_CLERK, JSON | API, 262144},
	{"GET",  "/api/v1/dossiers",                      api_dossiers_list,   STAFF, API,    0},
	{"GET",  "/api/v1/dossiers/{code}",               api_dossier_get,     STAFF, API,    0},
	{"POST", "/api/v1/dossiers/{code}/actions",       api_dossier_action,  ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER, JSON | API, 65536},
	{"GET",  "/api/v1/lookup/{code}",                 api_lookup,          PUB,   API,    0},
	{"POST", "/api/v1/lookup",                        api_lookup_post,     PUB,   JSON | API, 4096},
	{"GET",  "/api/v1/ratings",                       api_ratings,         ADM | ROLE_LEADER | ROLE_VIEWER, API, 0},
	{"GET",  "/api/v1/procedures",                    api_procedures,      PUB,   API,    0},
	{"GET",  "/api/v1/procedures/{code}",             api_procedure,       PUB,   API,    0},
	{"GET",  "/api/v1/calendar/holidays",             api_cal_holidays,    PUB,   API,    0},
	{"GET",  "/api/v1/calendar/due",                  api_cal_due,         PUB,   API,    0},
	{"GET",  "/api/v1/calendar/lunar",                api_cal_lunar,       PUB,   API,    0},
	{"POST", "/api/v1/session",                       api_session_create,  PUB,   JSON | API, 16384},
	{"DELETE", "/api/v1/session",                     api_session_delete,  STAFF, API,    0},
	{"GET",  "/api/v1/me",                            api_me,              STAFF, API,    0},
	{"GET",  "/api/v1/users",                         api_users,           ADM,   API,    0},
};
const size_t web_nroutes = sizeof web_routes / sizeof web_routes[0];
