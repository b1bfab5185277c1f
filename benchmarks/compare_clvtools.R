#!/usr/bin/env Rscript
# The CLVTools side of benchmarks/compare_clvtools.py: a small server that the Python driver
# starts once and talks to line by line on stdin/stdout, so that CLVTools and custometrics fits
# can be interleaved (one CLVTools fit, then the custometrics fits, then the next repeat).
#
# Commands (one per line; every reply is one line starting with "ok" or "error"):
#   load NAME TRANS_CSV COV_CSV|- SPLIT|- CBS_OUT
#       Builds the clv.data of a transaction log (columns Id, Date, Price; weeks; estimation end
#       SPLIT or the whole log), and with COV_CSV (Id + numeric covariate columns) a second one
#       with the covariates on both processes; writes the customer-by-sufficient-statistic
#       table (Id, x, t.x, T.cal) to CBS_OUT so both libraries fit the same numbers.
#       Reply: "ok <customers> <seconds>".
#   fit NAME MODEL cov|nocov
#       Fits MODEL (pnbd, bgnbd, ggomnbd) on the clv.data NAME (with or without covariates):
#       only the model call, on the clv.data built above. Reply: "ok <elapsed> <user+sys CPU>
#       <log-likelihood> name=value ...".
#   quit
#
# Single-threaded: data.table on one thread; run with OMP_NUM_THREADS=1
# OPENBLAS_NUM_THREADS=1 (the driver sets them).
suppressPackageStartupMessages({
    library(CLVTools)
    library(data.table)
})
setDTthreads(1)

datasets <- list()
models <- list(pnbd = pnbd, bgnbd = bgnbd, ggomnbd = ggomnbd)
reply <- function(...) {
    cat(paste0(..., "\n"))
    flush(stdout())
}

con <- file("stdin", open = "r")
repeat {
    line <- readLines(con, n = 1)
    if (length(line) == 0) break
    words <- strsplit(trimws(line), " +")[[1]]
    if (length(words) == 0) next
    cmd <- words[[1]]
    if (cmd == "quit") break
    result <- tryCatch({
        if (cmd == "load") {
            name <- words[[2]]
            t0 <- proc.time()[["elapsed"]]
            trans <- fread(words[[3]], colClasses = c(Id = "character", Date = "character",
                                                      Price = "numeric"))
            split <- if (words[[5]] == "-") NULL else words[[5]]
            clv <- clvdata(trans, date.format = "ymd", time.unit = "week",
                           estimation.split = split, name.id = "Id", name.date = "Date",
                           name.price = "Price")
            entry <- list(nocov = clv)
            if (words[[4]] != "-") {
                cov <- fread(words[[4]], colClasses = c(Id = "character"))
                names_cov <- setdiff(names(cov), "Id")
                entry$cov <- SetStaticCovariates(clv, data.cov.life = cov, data.cov.trans = cov,
                                                 names.cov.life = names_cov,
                                                 names.cov.trans = names_cov, name.id = "Id")
            }
            datasets[[name]] <- entry
            cbs <- CLVTools:::pnbd_cbs(clv)
            fwrite(cbs[, list(Id, x, t.x, T.cal)], words[[6]])
            sprintf("ok %d %.3f", nrow(cbs), proc.time()[["elapsed"]] - t0)
        } else if (cmd == "fit") {
            clv <- datasets[[words[[2]]]][[words[[4]]]]
            fit <- NULL
            tm <- system.time(fit <- models[[words[[3]]]](clv, verbose = FALSE))
            est <- coef(fit)
            paste("ok", sprintf("%.6f", tm[["elapsed"]]),
                  sprintf("%.6f", tm[["user.self"]] + tm[["sys.self"]]),
                  sprintf("%.17g", as.numeric(logLik(fit))),
                  paste(sprintf("%s=%.17g", names(est), unname(est)), collapse = " "))
        } else {
            paste("error unknown command", cmd)
        }
    }, error = function(e) paste("error", gsub("\n", " ", conditionMessage(e))))
    reply(result)
}
