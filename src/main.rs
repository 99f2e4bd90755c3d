#[tokio::main]
async fn main() -> std::process::ExitCode {
    dessine::cli::run().await
}
