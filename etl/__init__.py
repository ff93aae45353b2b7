"""jixiao ETL: 绩效自评表 PDFs and text extractions into DuckDB."""
