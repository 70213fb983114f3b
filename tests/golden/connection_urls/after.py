from _credmigrate_secrets import get_secret

DATABASE_URL = f"postgresql://app:{get_secret('credmigrate/demo/connection_urls', 'DATABASE_URL')}@db.example.com:5432/app"
REDIS_URL = f'redis://:{get_secret("credmigrate/demo/connection_urls", "REDIS_URL")}@cache.example.com:6379/0'
MONGO_URL = f"mongodb+srv://svc:{get_secret('credmigrate/demo/connection_urls', 'MONGO_URL')}@cluster0.example.mongodb.net/app?retryWrites=true"
AMQP_URL = rf"amqp://guest:{get_secret('credmigrate/demo/connection_urls', 'AMQP_URL')}@mq.example.com:5672/%2f"
DSN = f"mysql://app:{get_secret('credmigrate/demo/connection_urls', 'DSN')}@{'db'}.example.com/app"
