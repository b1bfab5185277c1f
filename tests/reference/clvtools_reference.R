#!/usr/bin/env Rscript
# CLVTools reference values for custometrics' retention models (issue #15, "Reference runs").
#
# What it makes: CSV fixtures under tests/reference/clvtools/ (described in the README.md there),
# so the C++/Python tests can compare Pareto/NBD, BG/NBD and GGom/NBD fits, with and without
# time-invariant covariates, against CLVTools without R in CI:
#   fits.csv                      one row per fit: log-likelihood, optimiser status, sample sizes
#   params.csv                    one row per fit and coefficient: estimate and standard error
#   vcov_<dataset>_<fit>.csv      CLVTools' vcov() (original scale for model parameters)
#   predictions_<dataset>_<fit>.csv  per customer: x, t.x, T.cal, covariates, PAlive, CET, DERT
#   timings.csv                   elapsed seconds per fit (min over repeats), machine notes
#
# Data: apparel (CLVTools' apparelTrans/apparelStaticCov exported to CSV, estimation end
# 2006-12-31, Gender and Channel on both processes) and CDNOW master (23,570 customers,
# calibration 1997-01-01 .. 1997-09-30). Time unit: weeks (CLVTools' default in its examples).
#
# CLVTools version: 0.12.1, git commit 1b06356b0ec07640b532c666aff29e2a3b8393fa of
# github.com/bachmannpatrick/CLVTools (tag v0.12.1), installed with `R CMD INSTALL` on R 4.2.2
# from Debian 12 packages (r-base-core r-base-dev r-cran-rcpp r-cran-rcpparmadillo r-cran-rcppgsl
# libgsl-dev r-cran-data.table r-cran-digest r-cran-formula r-cran-ggplot2 r-cran-lubridate
# r-cran-numderiv r-cran-matrix r-cran-mass r-cran-optimx r-cran-testthat).
#
# How to run (from the repository root; about 10-20 minutes on one core, mostly GGom/NBD):
#   OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 Rscript tests/reference/clvtools_reference.R \
#       [DATA_DIR] [OUT_DIR]
# DATA_DIR defaults to ../shared/data (holding apparel/ and cdnow/), OUT_DIR to
# tests/reference/clvtools. CLV_TIMING_REPEATS (default 3) sets how often each fit is repeated
# for timings.csv; the fixtures come from the last repeat (all repeats are deterministic).
# CLV_CDNOW_EVERY (default 10) keeps the predictions of every n-th CDNOW customer (by Id) so the
# fixtures stay small; fits always use all customers.

suppressPackageStartupMessages({
    library(CLVTools)
    library(data.table)
})
setDTthreads(1)

args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) >= 1) args[[1]] else "../shared/data"
out_dir <- if (length(args) >= 2) args[[2]] else "tests/reference/clvtools"
repeats <- max(1L, as.integer(Sys.getenv("CLV_TIMING_REPEATS", "3")))
cdnow_every <- max(1L, as.integer(Sys.getenv("CLV_CDNOW_EVERY", "10")))
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# Doubles as text with 17 significant digits (round-trips exactly); other columns unchanged.
write_csv17 <- function(dt, name) {
    dt <- copy(as.data.table(dt))
    for (col in names(dt)) {
        if (is.double(dt[[col]])) set(dt, j = col, value = sprintf("%.17g", dt[[col]]))
    }
    fwrite(dt, file.path(out_dir, name), quote = FALSE, na = "NA")
}

discount <- log(1 + 0.1) # CLVTools' default continuous.discount.factor for DERT

# ---- data --------------------------------------------------------------------------------
apparel_trans <- fread(file.path(data_dir, "apparel", "apparelTrans.csv"),
                       colClasses = c(Id = "character", Date = "character", Price = "numeric"))
apparel_cov <- fread(file.path(data_dir, "apparel", "apparelStaticCov.csv"),
                     colClasses = c(Id = "character"))
cov_names <- c("Gender", "Channel")
clv_apparel <- clvdata(apparel_trans, date.format = "ymd", time.unit = "week",
                       estimation.split = "2006-12-31",
                       name.id = "Id", name.date = "Date", name.price = "Price")
clv_apparel_cov <- SetStaticCovariates(clv_apparel,
                                       data.cov.life = apparel_cov, data.cov.trans = apparel_cov,
                                       names.cov.life = cov_names, names.cov.trans = cov_names,
                                       name.id = "Id")

cdnow <- fread(file.path(data_dir, "cdnow", "CDNOW_master.txt"), header = FALSE, skip = 1,
               col.names = c("Id", "Date", "Quantity", "Price"),
               colClasses = c("character", "character", "numeric", "numeric"))
clv_cdnow <- clvdata(cdnow, date.format = "ymd", time.unit = "week",
                     estimation.split = "1997-09-30",
                     name.id = "Id", name.date = "Date", name.price = "Price")

# ---- fits --------------------------------------------------------------------------------
# Each entry: dataset, fit name, model function, data object, covariate table (or NULL).
runs <- list(
    list("apparel", "pnbd", pnbd, clv_apparel, NULL),
    list("apparel", "bgnbd", bgnbd, clv_apparel, NULL),
    list("apparel", "ggomnbd", ggomnbd, clv_apparel, NULL),
    list("apparel", "pnbd_cov", pnbd, clv_apparel_cov, apparel_cov),
    list("apparel", "bgnbd_cov", bgnbd, clv_apparel_cov, apparel_cov),
    list("apparel", "ggomnbd_cov", ggomnbd, clv_apparel_cov, apparel_cov),
    list("cdnow", "pnbd", pnbd, clv_cdnow, NULL),
    list("cdnow", "bgnbd", bgnbd, clv_cdnow, NULL),
    list("cdnow", "ggomnbd", ggomnbd, clv_cdnow, NULL)
)
only <- Sys.getenv("CLV_ONLY", "") # optional comma list of "dataset/fit" to run
if (nzchar(only)) {
    keep <- strsplit(only, ",")[[1]]
    runs <- Filter(function(r) paste0(r[[1]], "/", r[[2]]) %in% keep, runs)
}

fits <- list()
params <- list()
timings <- list()
for (run in runs) {
    dataset <- run[[1]]; fit_name <- run[[2]]; model_fn <- run[[3]]; clv <- run[[4]]
    covs <- run[[5]]
    message(sprintf("%s %s %s: fitting (%d repeats)", format(Sys.time(), "%H:%M:%S"), dataset,
                    fit_name, repeats))
    elapsed <- numeric(0)
    fit <- NULL
    err <- NULL
    for (i in seq_len(repeats)) {
        tm <- tryCatch(system.time(fit <- model_fn(clv, verbose = FALSE)),
                       error = function(e) { err <<- conditionMessage(e); NULL })
        if (is.null(tm)) break
        elapsed <- c(elapsed, tm[["elapsed"]])
    }
    if (!is.null(err)) {
        message("  failed: ", err)
        fits[[length(fits) + 1]] <- data.table(dataset = dataset, fit = fit_name,
                                               model = NA_character_, n_customers = NA_integer_,
                                               log_likelihood = NA_real_, convcode = NA_integer_,
                                               kkt1 = NA, kkt2 = NA, optimizer = NA_character_,
                                               error = err)
        next
    }
    last <- tail(fit@optimx.estimation.output, n = 1)
    estimate <- coef(fit)
    vc <- vcov(fit)
    fits[[length(fits) + 1]] <- data.table(
        dataset = dataset, fit = fit_name, model = fit@clv.model@name.model,
        n_customers = nrow(fit@cbs), log_likelihood = as.numeric(logLik(fit)),
        convcode = as.integer(last$convcode), kkt1 = as.logical(last$kkt1),
        kkt2 = as.logical(last$kkt2), optimizer = rownames(last), error = "")
    params[[length(params) + 1]] <- data.table(
        dataset = dataset, fit = fit_name, parameter = names(estimate),
        estimate = unname(estimate), std_error = sqrt(diag(vc))[names(estimate)])
    write_csv17(data.table(parameter = rownames(vc), vc),
                sprintf("vcov_%s_%s.csv", dataset, fit_name))
    timings[[length(timings) + 1]] <- data.table(
        dataset = dataset, fit = fit_name, n_customers = nrow(fit@cbs), repeats = length(elapsed),
        elapsed_min_s = sprintf("%.3f", min(elapsed)),
        elapsed_all_s = paste(sprintf("%.3f", elapsed), collapse = ";"))

    pred <- predict(fit, predict.spending = FALSE, continuous.discount.factor = discount,
                    verbose = FALSE)
    cbs <- fit@cbs[, list(Id, x, t.x, T.cal)]
    keep_cols <- intersect(c("Id", "period.length", "actual.x", "PAlive", "CET", "DERT"),
                           names(pred))
    out <- merge(cbs, pred[, ..keep_cols], by = "Id", sort = FALSE)
    if (!is.null(covs)) out <- merge(out, covs[, c("Id", cov_names), with = FALSE], by = "Id",
                                     sort = FALSE)
    setorder(out, Id)
    if (dataset == "cdnow" && cdnow_every > 1) out <- out[seq(1, .N, by = cdnow_every)]
    write_csv17(out, sprintf("predictions_%s_%s.csv", dataset, fit_name))
    message(sprintf("  LL %.6f, convcode %s, min %.2f s", as.numeric(logLik(fit)),
                    last$convcode, min(elapsed)))
}

suffix <- if (nzchar(only)) paste0("_", gsub("[^A-Za-z0-9]+", "_", only)) else ""
write_csv17(rbindlist(fits, fill = TRUE), paste0("fits", suffix, ".csv"))
write_csv17(rbindlist(params), paste0("params", suffix, ".csv"))
load_avg <- tryCatch(readLines("/proc/loadavg"), error = function(e) NA_character_)
timing_notes <- data.table(
    r_version = R.version.string, clvtools_version = as.character(packageVersion("CLVTools")),
    # `nproc` honours OMP_NUM_THREADS, so ask for all cores.
    nproc = as.integer(system("nproc --all", intern = TRUE)), loadavg_at_end = load_avg,
    cpu = tryCatch(sub(".*: ", "", grep("model name", readLines("/proc/cpuinfo"),
                                           value = TRUE)[1]), error = function(e) NA_character_),
    omp_num_threads = Sys.getenv("OMP_NUM_THREADS"))
write_csv17(cbind(rbindlist(timings), timing_notes), paste0("timings", suffix, ".csv"))

# Data summary: the sample the fits saw (dates inclusive; weeks).
data_summary <- rbindlist(lapply(list(apparel = clv_apparel, cdnow = clv_cdnow), function(d) {
    data.table(first_date = as.character(d@clv.time@timepoint.estimation.start),
               estimation_end = as.character(d@clv.time@timepoint.estimation.end),
               holdout_end = as.character(d@clv.time@timepoint.holdout.end),
               estimation_weeks = d@clv.time@estimation.period.in.tu,
               holdout_weeks = d@clv.time@holdout.period.in.tu,
               n_customers = nrow(d@data.transactions[, .N, by = Id]))
}), idcol = "dataset")
write_csv17(data_summary, "data.csv")
message("done")
